package io.loom.cache.security;

import io.loom.cache.LoomCache;
import io.loom.cache.config.BackendSettings;
import io.loom.cache.config.BackendType;
import io.loom.cache.config.CacheConfig;
import io.loom.cache.gateway.CacheGateway;
import io.loom.cache.gateway.GatewayBackends;
import io.loom.cache.internal.backend.BackendFactory;
import io.loom.cache.serialization.MsgpackSerializer;
import io.loom.cache.testing.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS ({@code rediss://}) to a redis-server owned by the test, with a throw-away CA and server
 * certificate made by openssl; the client trusts the CA through a Redisson configuration file
 * ({@code backends.<alias>.redisson-config}).
 */
class RedisTlsTest {

    private static Path dir;
    private static RedisServerProcess redis;
    private static Path redissonConfig;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("loom-tls");
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=loom-test-ca",
                "-keyout", "ca.key", "-out", "ca.crt");
        run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                "-keyout", "server.key", "-out", "server.csr");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        run("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                "-CAcreateserial", "-days", "1", "-extfile", "san.ext", "-out", "server.crt");
        run("keytool", "-importcert", "-noprompt", "-alias", "loom-ca", "-file", "ca.crt",
                "-keystore", "truststore.p12", "-storetype", "PKCS12", "-storepass", "changeit");
        int tlsPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            tlsPort = socket.getLocalPort();
        }
        redis = RedisServerProcess.start("--tls-port", Integer.toString(tlsPort),
                "--tls-cert-file", dir.resolve("server.crt").toString(),
                "--tls-key-file", dir.resolve("server.key").toString(),
                "--tls-ca-cert-file", dir.resolve("ca.crt").toString(),
                "--tls-auth-clients", "no");
        redissonConfig = dir.resolve("redisson.yaml");
        Files.writeString(redissonConfig, "singleServerConfig:\n"
                + "  address: \"rediss://127.0.0.1:" + tlsPort + "\"\n"
                + "  timeout: 2000\n"
                + "sslTruststore: \"" + dir.resolve("truststore.p12").toUri() + "\"\n"
                + "sslTruststorePassword: \"changeit\"\n");
    }

    @AfterAll
    static void stop() throws IOException {
        if (redis != null) {
            redis.close();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static BackendSettings settings(String namespace) {
        return BackendSettings.builder(BackendType.REDIS).redissonConfig(redissonConfig.toString())
                .serializer(MsgpackSerializer.NAME).namespace(namespace).build();
    }

    @Test
    void rediss_gatewayReadsAndWritesOverTls() {
        CacheGateway gateway = CacheGateway.over(BackendFactory.create("tls", settings("loomtls")),
                MsgpackSerializer.INSTANCE);
        try {
            assertTrue(gateway.setValue("k", "over tls"));
            assertEquals("over tls", gateway.getValue("k"));
        } finally {
            GatewayBackends.of(gateway).close();
        }
    }

    @Test
    void rediss_loomCacheDeliversInvalidationsOverTls() {
        CacheConfig config = CacheConfig.builder().backend("default", settings("loomtls2")).build();
        try (LoomCache cache = LoomCache.create(config)) {
            cache.invalidate("Book");
            assertEquals(0, cache.pendingInvalidations());
            assertEquals(1, cache.stats().bumps());
        }
    }
}
