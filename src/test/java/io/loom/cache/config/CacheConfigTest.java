package io.loom.cache.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class CacheConfigTest {

    @Test
    void defaults_matchDocumentedValues() {
        CacheConfig c = CacheConfig.defaults();
        assertTrue(c.enabled());
        assertEquals("default", c.alias());
        assertNull(c.counterAlias());
        assertEquals("default", c.effectiveCounterAlias());
        assertEquals(Duration.ofSeconds(200), c.defaultTtl());
        assertEquals(Duration.ofSeconds(120), c.defaultListTtl());
        assertEquals(Duration.ofSeconds(30), c.negativeTtl());
        assertEquals(1024 * 1024, c.maxValueBytes());
        assertNull(c.maxSize());
        assertEquals(Map.of("default", BackendSettings.memory()), c.backends());
        assertEquals(BackendType.MEMORY, c.backends().get("default").type());
        assertTrue(c.backends().get("default").hasSerializer());
    }

    @Test
    void ttlForSingleAndList_useOverridesThenDefaults() {
        CacheConfig c = CacheConfig.builder().ttl("user", Duration.ofSeconds(60))
                .ttl("user_list", Duration.ofSeconds(10)).ttl("order_list", Duration.ofSeconds(5)).build();
        assertEquals(Duration.ofSeconds(60), c.ttlForSingle("user"));
        assertEquals(Duration.ofSeconds(10), c.ttlForList("user"));
        assertEquals(Duration.ofSeconds(200), c.ttlForSingle("order"));
        assertEquals(Duration.ofSeconds(5), c.ttlForList("order"));
        assertEquals(Duration.ofSeconds(120), c.ttlForList("product"));
    }

    @Test
    void builtConfig_isSealed() {
        CacheConfig.Builder b = CacheConfig.builder().ttl("user", Duration.ofSeconds(1));
        CacheConfig c = b.build();
        b.ttl("user", Duration.ofSeconds(99)).ttl("other", Duration.ofSeconds(2));
        assertEquals(Duration.ofSeconds(1), c.ttlForSingle("user"));
        assertThrows(UnsupportedOperationException.class, () -> c.ttl().put("x", Duration.ZERO));
        assertThrows(UnsupportedOperationException.class, () -> c.backends().clear());
    }

    @Test
    void counterAlias_mustBeConfigured() {
        CacheConfigException e = assertThrows(CacheConfigException.class,
                () -> CacheConfig.builder().counterAlias("gen").build());
        assertEquals("counter-alias", e.key());
        assertTrue(e.getMessage().contains("'gen'"), e.getMessage());
    }

    @Test
    void counterAlias_withSerializer_isRejected() {
        CacheConfigException e = assertThrows(CacheConfigException.class, () -> CacheConfig.builder()
                .counterAlias("gen").backend("default", BackendSettings.memory())
                .backend("gen", BackendSettings.memory()).build());
        assertEquals("backends.gen.serializer", e.key());
    }

    @Test
    void dataAlias_mustExistAndHaveSerializer() {
        assertEquals("alias", assertThrows(CacheConfigException.class, () -> CacheConfig.builder()
                .alias("data").backend("other", BackendSettings.memory()).build()).key());
        assertEquals("backends.default.serializer", assertThrows(CacheConfigException.class, () -> CacheConfig
                .builder().backend("default", BackendSettings.memory().withSerializer(null)).build()).key());
        assertEquals("alias", assertThrows(CacheConfigException.class,
                () -> CacheConfig.builder().alias(" ").build()).key());
    }

    @Test
    void nonPositiveTtlsAndLimits_areRejectedByKey() {
        assertEquals("default-ttl", assertThrows(CacheConfigException.class,
                () -> CacheConfig.builder().defaultTtl(Duration.ofSeconds(-1)).build()).key());
        assertEquals("default-list-ttl", assertThrows(CacheConfigException.class,
                () -> CacheConfig.builder().defaultListTtl(Duration.ZERO).build()).key());
        assertEquals("negative-ttl", assertThrows(CacheConfigException.class,
                () -> CacheConfig.builder().negativeTtl(Duration.ofMillis(-5)).build()).key());
        assertEquals("ttl.user_list", assertThrows(CacheConfigException.class,
                () -> CacheConfig.builder().ttl("user_list", Duration.ofSeconds(-2)).build()).key());
        assertEquals("max-size", assertThrows(CacheConfigException.class,
                () -> CacheConfig.builder().maxSize(0L).build()).key());
        assertEquals("max-value-bytes", assertThrows(CacheConfigException.class,
                () -> CacheConfig.builder().maxValueBytes(-1).build()).key());
    }

    @Test
    void backendSettings_redisDefaults() {
        BackendSettings s = BackendSettings.builder(BackendType.REDIS).build();
        assertEquals("redis://127.0.0.1:6379", s.address());
        assertEquals(Duration.ofMillis(500), s.timeout());
        assertEquals(Duration.ofSeconds(2), s.connectTimeout());
        assertEquals(1, s.retryAttempts());
        assertEquals(0, s.database());
        assertNull(s.serializer());
        assertEquals("loom:counters", s.effectiveNamespace("counters"));
        assertEquals("rediss://cache.example:6380", BackendSettings.builder(BackendType.REDIS)
                .address("rediss://cache.example:6380").build().address());
        assertEquals("redis://h:1", BackendSettings.builder(BackendType.REDIS).address("h:1").build().address());
    }

    @Test
    void backendSettings_toString_masksPassword() {
        BackendSettings s = BackendSettings.builder(BackendType.REDIS).username("app").password("s3cret").build();
        assertFalse(s.toString().contains("s3cret"), s.toString());
        assertTrue(s.toString().contains("***"));
    }

    @Test
    void backendSettings_conflictsAndBadValues_nameTheKeys() {
        CacheConfigException both = assertThrows(CacheConfigException.class, () -> BackendSettings
                .builder(BackendType.REDIS).keyPrefix("backends.default.").address("redis://a:1")
                .redissonConfig("/etc/redisson.yaml").build());
        assertEquals("backends.default.address", both.key());
        assertTrue(both.getMessage().contains("backends.default.redisson-config"), both.getMessage());
        assertEquals("password", assertThrows(CacheConfigException.class, () -> BackendSettings
                .builder(BackendType.REDIS).redissonConfig("r.yaml").password("x").build()).key());
        assertEquals("address", assertThrows(CacheConfigException.class, () -> BackendSettings
                .builder(BackendType.REDIS).address("http://x").build()).key());
        assertEquals("address", assertThrows(CacheConfigException.class, () -> BackendSettings
                .builder(BackendType.MEMORY).address("redis://x:1").build()).key());
        assertEquals("max-size", assertThrows(CacheConfigException.class, () -> BackendSettings
                .builder(BackendType.REDIS).maxSize(5L).build()).key());
        assertEquals("timeout", assertThrows(CacheConfigException.class, () -> BackendSettings
                .builder(BackendType.REDIS).timeout(Duration.ZERO).build()).key());
        assertEquals("serializer", assertThrows(CacheConfigException.class, () -> BackendSettings
                .builder(BackendType.MEMORY).serializer("json").build()).key());
        assertEquals("retry-attempts", assertThrows(CacheConfigException.class, () -> BackendSettings
                .builder(BackendType.REDIS).retryAttempts(-1).build()).key());
    }
}
