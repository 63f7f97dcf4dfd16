package io.loom.cache.cluster;

import io.loom.cache.LoomCache;
import io.loom.cache.config.BackendSettings;
import io.loom.cache.config.BackendType;
import io.loom.cache.config.CacheConfig;
import io.loom.cache.config.CacheConfigException;
import io.loom.cache.gateway.CacheGateway;
import io.loom.cache.gateway.GatewayBackends;
import io.loom.cache.internal.backend.BackendFactory;
import io.loom.cache.serialization.MsgpackSerializer;
import io.loom.cache.testing.RedisClusterProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Redis backend and the generation store on a local three-master Redis Cluster owned by the test. */
class RedisClusterTest {

    private static RedisClusterProcess cluster;

    @BeforeAll
    static void start() {
        cluster = RedisClusterProcess.start();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static BackendSettings settings(String namespace, String serializer) {
        return BackendSettings.builder(BackendType.REDIS).redissonConfig(cluster.redissonConfig())
                .serializer(serializer).namespace(namespace).build();
    }

    private static CacheGateway gateway(String alias, String namespace) {
        return CacheGateway.over(BackendFactory.create(alias, settings(namespace, MsgpackSerializer.NAME)),
                MsgpackSerializer.INSTANCE);
    }

    @Test
    void gateway_multiGetMultiSetAndDeleteSpanningSlots() {
        CacheGateway gateway = gateway("spread", "spread");
        CacheGateway other = gateway("other", "other");
        try {
            Map<String, Object> pairs = new LinkedHashMap<>();
            for (int i = 0; i < 60; i++) {
                pairs.put("key-" + i, "value-" + i);
            }
            gateway.multiSetValues(pairs, Duration.ofMinutes(1));
            List<String> keys = new ArrayList<>(pairs.keySet());
            keys.add("absent");
            List<Object> values = gateway.multiGetValues(keys);
            for (int i = 0; i < 60; i++) {
                assertEquals("value-" + i, values.get(i));
            }
            assertNull(values.get(60));
            assertTrue(other.setValue("keep", "me"));

            assertEquals(30, gateway.deleteMany(keys.subList(0, 30)));
            gateway.clear();
            assertFalse(gateway.exists("key-45"));
            assertEquals("me", other.getValue("keep"), "clear() stays inside its namespace");
        } finally {
            other.clear();
            GatewayBackends.of(gateway).close();
            GatewayBackends.of(other).close();
        }
    }

    @Test
    void loomCache_namespaceWithoutHashTag_isRefusedNamingTheKey() {
        CacheConfig config = CacheConfig.builder().backend("default", settings("plain", MsgpackSerializer.NAME)).build();
        CacheConfigException error = assertThrows(CacheConfigException.class, () -> LoomCache.create(config));
        assertTrue(error.getMessage().contains("backends.default.namespace"), error.getMessage());
    }

    @Test
    void loomCache_hashTagNamespace_bumpsCountersOnTheCluster() {
        CacheConfig config = CacheConfig.builder().backend("default", settings("{loomc}", MsgpackSerializer.NAME)).build();
        try (LoomCache cache = LoomCache.create(config)) {
            cache.invalidate("Book");
            cache.invalidate("Author");
            cache.invalidate(String.class, "1");
            assertEquals(0, cache.pendingInvalidations());
            assertEquals(2, cache.stats().bumps());
            assertEquals(0, cache.stats().bumpFailures());
            CacheGateway counters = CacheGateway.over(BackendFactory.create("counters", settings("{loomc}:gen", "none")),
                    null);
            try {
                List<Long> generations = counters.multiGetValues(List.of("w:book", "w:author"), Long.class);
                assertTrue(generations.stream().allMatch(g -> g != null && g > 0), generations.toString());
            } finally {
                GatewayBackends.of(counters).close();
            }
        }
    }
}
