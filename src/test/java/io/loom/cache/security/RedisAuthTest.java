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

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Password and ACL-user authentication against a redis-server owned by the test: the default user
 * has a password, and user {@code app} may only touch keys under {@code loomapp:}. Loom works
 * with either, and every key it touches (entries, counters, scripts) stays inside its namespace.
 */
class RedisAuthTest {

    private static RedisServerProcess redis;

    @BeforeAll
    static void start() {
        redis = RedisServerProcess.start("--requirepass", "default-secret",
                "--user", "app", "on", ">app-secret", "~loomapp:*", "+@all");
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    private static BackendSettings settings(String namespace, String username, String password) {
        return BackendSettings.builder(BackendType.REDIS).address(redis.address()).serializer(MsgpackSerializer.NAME)
                .namespace(namespace).username(username).password(password)
                .timeout(Duration.ofMillis(500)).retryAttempts(0).build();
    }

    private static CacheGateway gateway(String alias, BackendSettings settings) {
        return CacheGateway.over(BackendFactory.create(alias, settings), MsgpackSerializer.INSTANCE);
    }

    @Test
    void requirePass_withPassword_readsAndWrites() {
        CacheGateway gateway = gateway("pw", settings("loompw", null, "default-secret"));
        try {
            assertTrue(gateway.setValue("k", "v"));
            assertEquals("v", gateway.getValue("k"));
        } finally {
            GatewayBackends.of(gateway).close();
        }
    }

    @Test
    void requirePass_wrongPassword_failsWithTypedError() {
        RuntimeException error = assertThrows(RuntimeException.class, () -> {
            CacheGateway gateway = gateway("bad", settings("loombad", null, "wrong"));
            try {
                gateway.setValue("k", "v");
            } finally {
                GatewayBackends.of(gateway).close();
            }
        });
        assertTrue(error instanceof io.loom.cache.error.LoomException, "typed: " + error);
    }

    @Test
    void aclUser_confinedToNamespace_cacheWorksInside_andIsRefusedOutside() {
        CacheConfig config = CacheConfig.builder().backend("default", settings("loomapp", "app", "app-secret")).build();
        try (LoomCache cache = LoomCache.create(config)) {
            cache.invalidate("Book");
            cache.invalidate("Author");
            assertEquals(0, cache.pendingInvalidations());
            assertEquals(2, cache.stats().bumps());
        }
        // The ACL allows only loomapp:* keys, so every counter the bumps created lives there.
        CacheGateway outside = gateway("outside", settings("elsewhere", "app", "app-secret"));
        try {
            assertThrows(io.loom.cache.error.LoomException.class, () -> outside.setValue("k", "v"));
        } finally {
            GatewayBackends.of(outside).close();
        }
    }
}
