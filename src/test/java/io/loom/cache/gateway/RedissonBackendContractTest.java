package io.loom.cache.gateway;

import io.loom.cache.config.BackendSettings;
import io.loom.cache.config.BackendType;
import io.loom.cache.internal.backend.BackendFactory;
import io.loom.cache.internal.backend.RedissonBackend;
import io.loom.cache.internal.backend.SharedRedissonClients;
import io.loom.cache.serialization.MsgpackSerializer;
import io.loom.cache.testing.Await;
import io.loom.cache.testing.RedisTestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** The backend contract on real Redis, plus namespaces, real TTL, client sharing and failures. */
class RedissonBackendContractTest extends CacheBackendContract {

    private static final RedisTestNamespace NS = RedisTestNamespace.create(RedissonBackendContractTest.class);
    private static final AtomicInteger SEQ = new AtomicInteger();

    @AfterAll
    static void cleanUp() {
        NS.close();
    }

    @Override
    protected CacheBackend createBackend(GatewayMode mode) {
        return new RedissonBackend(RedisTestNamespace.client(), NS.child("b" + SEQ.incrementAndGet()), mode, null);
    }

    private static String freshNamespace() {
        return NS.child("x" + SEQ.incrementAndGet());
    }

    @Test
    void counterValues_areStoredAsPlainIntegerStrings() {
        RedissonBackend b = (RedissonBackend) backend(GatewayMode.COUNTER);
        CacheGateway g = CacheGateway.over(b, null);
        g.incr("gen", 41);
        g.setValue("set", 7L);
        RedissonClient raw = RedisTestNamespace.client();
        assertEquals("41", raw.getBucket(b.key("gen"), StringCodec.INSTANCE).get());
        assertEquals("7", raw.getBucket(b.key("set"), StringCodec.INSTANCE).get());
        Long viaLua = raw.getScript(StringCodec.INSTANCE).eval(org.redisson.api.RScript.Mode.READ_ONLY,
                "return tonumber(redis.call('GET', KEYS[1])) + 1", org.redisson.api.RScript.ReturnType.LONG,
                List.of(b.key("gen")));
        assertEquals(42L, viaLua);
    }

    @Test
    void foreignValues_inNamespace_readAsMisses_andAreDeleted() throws Exception {
        RedissonBackend counters = (RedissonBackend) backend(GatewayMode.COUNTER);
        RedissonBackend data = (RedissonBackend) backend(GatewayMode.DATA);
        RedissonClient raw = RedisTestNamespace.client();
        raw.getBucket(counters.key("c"), StringCodec.INSTANCE).set("not a number");
        raw.getList(data.key("l"), StringCodec.INSTANCE).add("a list, not a string");
        raw.getList(data.key("l2"), StringCodec.INSTANCE).add("a list, not a string");
        CacheGateway c = CacheGateway.over(counters, null);
        CacheGateway d = CacheGateway.over(data, MsgpackSerializer.INSTANCE);
        raw.getBucket(counters.key("c2"), StringCodec.INSTANCE).set("nan");
        c.setValue("ok", 5L);
        assertEquals(java.util.Arrays.asList(null, 5L), c.multiGetValues(List.of("c2", "ok"), Long.class));
        assertFalse(c.exists("c2"));
        assertNull(c.getValue("c"));
        assertFalse(c.exists("c"));
        assertNull(d.getValue("l", Person.class));
        assertFalse(d.exists("l"));
        assertNull(d.getValueAsync("l2").toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertFalse(d.exists("l2"));
    }

    @Test
    void dataValues_areStoredAsMsgpackBytes_underNamespacedKey() {
        RedissonBackend b = (RedissonBackend) backend(GatewayMode.DATA);
        CacheGateway.over(b, MsgpackSerializer.INSTANCE).setValue("k", new Person("a", 1, List.of()));
        assertTrue(b.key("k").startsWith(b.namespace() + ":"));
        byte[] stored = RedisTestNamespace.client().<byte[]>getBucket(b.key("k"),
                org.redisson.client.codec.ByteArrayCodec.INSTANCE).get();
        assertEquals(new Person("a", 1, List.of()), MsgpackSerializer.INSTANCE.loads(stored, Person.class));
    }

    @ParameterizedTest
    @EnumSource(GatewayMode.class)
    void getValue_afterRealTtlExpires_returnsNull(GatewayMode mode) {
        CacheGateway g = gateway(mode);
        g.setValue("short", 1L, Duration.ofMillis(300));
        g.setValue("long", 2L, Duration.ofMinutes(5));
        RedissonBackend b = (RedissonBackend) g.backend();
        long pttl = RedisTestNamespace.client().getKeys().remainTimeToLive(b.key("short"));
        assertTrue(pttl > 0 && pttl <= 300, "pttl " + pttl);
        Await.until(() -> !g.exists("short"), "the entry outlived its 300 ms TTL");
        assertNull(g.getValue("short"));
        assertEquals(2L, g.getValue("long", Long.class));
    }

    @ParameterizedTest
    @EnumSource(GatewayMode.class)
    void incr_keepsExistingTtl(GatewayMode mode) {
        CacheGateway g = gateway(mode);
        g.setValue("n", 5L, Duration.ofMinutes(5));
        assertEquals(6, g.incr("n"));
        long pttl = RedisTestNamespace.client().getKeys().remainTimeToLive(((RedissonBackend) g.backend()).key("n"));
        assertTrue(pttl > 0, "ttl lost: " + pttl);
        g.incr("fresh");
        assertEquals(-1, RedisTestNamespace.client().getKeys()
                .remainTimeToLive(((RedissonBackend) g.backend()).key("fresh")));
    }

    @Test
    void clear_deletesOnlyItsOwnNamespace() {
        String ns = freshNamespace() + ":we[ird]*?";
        RedissonBackend b = new RedissonBackend(RedisTestNamespace.client(), ns, GatewayMode.DATA, null);
        CacheGateway g = CacheGateway.over(b, MsgpackSerializer.INSTANCE);
        for (int i = 0; i < 1200; i++) {
            g.setValue("k" + i, i);
        }
        RedissonClient raw = RedisTestNamespace.client();
        String foreignSibling = NS.key("foreign:k1");
        String lookalike = ns.replace("[ird]*?", "i:k1");
        String prefixWithoutColon = ns + "k1";
        for (String k : List.of(foreignSibling, lookalike, prefixWithoutColon)) {
            raw.getBucket(k, StringCodec.INSTANCE).set("keep");
        }
        g.clear();
        assertEquals(0, raw.getKeys().countExists(b.key("k0"), b.key("k1199")));
        for (String k : List.of(foreignSibling, lookalike, prefixWithoutColon)) {
            assertEquals("keep", raw.getBucket(k, StringCodec.INSTANCE).get(), k);
        }
    }

    @ParameterizedTest
    @EnumSource(GatewayMode.class)
    void incr_fromTwoSeparateClients_losesNoUpdate(GatewayMode mode) throws Exception {
        String ns = freshNamespace();
        RedissonClient c1 = RedisTestNamespace.newClient();
        RedissonClient c2 = RedisTestNamespace.newClient();
        try {
            List<CacheBackend> backends = List.of(new RedissonBackend(c1, ns, mode, null),
                    new RedissonBackend(c2, ns, mode, null));
            int threadsPerClient = 4;
            int perThread = 5_000;
            ExecutorService pool = Executors.newFixedThreadPool(threadsPerClient * 2);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (CacheBackend b : backends) {
                for (int t = 0; t < threadsPerClient; t++) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < perThread; i++) {
                            b.incr("shared", 1);
                        }
                        return null;
                    }));
                }
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdownNow();
            CacheGateway g = CacheGateway.over(backends.get(0), mode == GatewayMode.DATA ? MsgpackSerializer.INSTANCE : null);
            assertEquals(2L * threadsPerClient * perThread, g.getValue("shared", Long.class));
            g.clear();
        } finally {
            c1.shutdown(0, 2, TimeUnit.SECONDS);
            c2.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    @Test
    void aliasesOnSameServer_shareOneClient_closedWithLastLease() {
        int before = SharedRedissonClients.liveClients();
        BackendSettings data = BackendSettings.builder(BackendType.REDIS).address(RedisTestNamespace.ADDRESS)
                .namespace(freshNamespace()).serializer("msgpack").build();
        BackendSettings counters = BackendSettings.builder(BackendType.REDIS).address("127.0.0.1:6379")
                .namespace(freshNamespace()).build();
        RedissonBackend d = (RedissonBackend) BackendFactory.create("data", data);
        RedissonBackend c = (RedissonBackend) BackendFactory.create("counters", counters);
        assertSame(d.client(), c.client());
        assertEquals(GatewayMode.DATA, d.mode());
        assertEquals(GatewayMode.COUNTER, c.mode());
        assertEquals(before + 1, SharedRedissonClients.liveClients());
        CacheGateway.over(c, null).incr("g", 3);
        CacheGateway.over(d, MsgpackSerializer.INSTANCE).setValue("v", "x");
        List<Object> both = d.client().getScript(StringCodec.INSTANCE).eval(org.redisson.api.RScript.Mode.READ_ONLY,
                "return {redis.call('GET', KEYS[1]), tostring(redis.call('EXISTS', KEYS[2]))}",
                org.redisson.api.RScript.ReturnType.LIST, List.of(c.key("g"), d.key("v")));
        assertEquals(List.of("3", "1"), both);
        d.clear();
        c.clear();
        d.close();
        assertFalse(c.client().isShutdown());
        c.close();
        c.close();
        assertTrue(c.client().isShutdown());
        assertEquals(before, SharedRedissonClients.liveClients());
    }

    @Test
    void redissonConfigFile_buildsWorkingBackend(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path file = dir.resolve("redisson.yaml");
        Files.writeString(file, """
                singleServerConfig:
                  address: "redis://127.0.0.1:6379"
                  connectionMinimumIdleSize: 1
                """);
        BackendSettings s = BackendSettings.builder(BackendType.REDIS).redissonConfig(file.toString())
                .namespace(freshNamespace()).serializer("msgpack").build();
        try (CacheBackend b = BackendFactory.create("fromfile", s)) {
            CacheGateway g = CacheGateway.over(b, MsgpackSerializer.INSTANCE);
            g.setValue("k", List.of(1, 2));
            assertEquals(List.of(1, 2), g.getValue("k"));
            g.clear();
        }
    }

    @Test
    void unreachableServer_surfacesAsBackendUnavailable_syncAndAsync() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        BackendSettings s = BackendSettings.builder(BackendType.REDIS).address("redis://127.0.0.1:" + port)
                .timeout(Duration.ofMillis(200)).connectTimeout(Duration.ofMillis(200)).retryAttempts(0)
                .serializer("msgpack").build();
        try (CacheBackend b = BackendFactory.create("down", s)) {
            CacheGateway g = CacheGateway.over(b, MsgpackSerializer.INSTANCE);
            BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> g.getValue("k"));
            assertTrue(e.backend().contains("loom:down"), e.backend());
            assertThrows(BackendUnavailableException.class, () -> g.setValue("k", 1));
            assertThrows(BackendUnavailableException.class, () -> g.incr("k", 1));
            assertThrows(BackendUnavailableException.class, () -> g.multiGetValues(List.of("a", "b")));
            ExecutionException async = assertThrows(ExecutionException.class,
                    () -> g.getValueAsync("k").toCompletableFuture().get(10, TimeUnit.SECONDS));
            assertInstanceOf(BackendUnavailableException.class, async.getCause());
        }
    }
}
