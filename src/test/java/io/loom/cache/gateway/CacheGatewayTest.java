package io.loom.cache.gateway;

import io.loom.cache.config.BackendSettings;
import io.loom.cache.config.BackendType;
import io.loom.cache.config.CacheConfig;
import io.loom.cache.config.CacheConfigException;
import io.loom.cache.config.CacheConfigLoader;
import io.loom.cache.internal.backend.MemoryBackend;
import io.loom.cache.internal.backend.RedissonBackend;
import io.loom.cache.testing.RedisTestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The alias registry, mode detection and configuration wiring of {@link CacheGateway}. */
class CacheGatewayTest {

    private static final RedisTestNamespace NS = RedisTestNamespace.create(CacheGatewayTest.class);

    @AfterEach
    void resetRegistry() {
        CacheGateway.reset();
    }

    @AfterAll
    static void cleanUp() {
        NS.close();
    }

    private static String resource(String name) throws Exception {
        try (InputStream in = CacheGatewayTest.class.getResourceAsStream("/config/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void defaultAlias_isAnInMemoryDataGateway_outOfTheBox() {
        CacheGateway g = new CacheGateway("default");
        assertEquals(GatewayMode.DATA, g.mode());
        assertNotNull(g.serializer());
        assertInstanceOf(MemoryBackend.class, g.backend());
        g.setValue("k", List.of("a"));
        assertEquals(List.of("a"), CacheGateway.of("default").getValue("k"));
        assertEquals(CacheConfig.defaults().toString(), CacheGateway.config().toString());
    }

    @Test
    void unknownAlias_throwsUnknownAliasException_listingKnownAliases() {
        UnknownAliasException e = assertThrows(UnknownAliasException.class, () -> CacheGateway.of("nope"));
        assertEquals("nope", e.alias());
        assertTrue(e.getMessage().contains("[default]"), e.getMessage());
        assertThrows(InvalidCacheArgumentException.class, () -> new CacheGateway(null));
    }

    @Test
    void configure_detectsModeFromSerializer_andSharesBackendPerAlias() {
        CacheGateway.configure(Map.of(
                "data", Map.of("type", "memory", "serializer", "msgpack"),
                "counters", BackendSettings.builder(BackendType.MEMORY).build()));
        CacheGateway data = CacheGateway.of("data");
        CacheGateway counters = CacheGateway.of("counters");
        assertEquals(GatewayMode.DATA, data.mode());
        assertEquals(GatewayMode.COUNTER, counters.mode());
        assertNull(counters.serializer());
        assertSame(counters.backend(), new CacheGateway("counters").backend());
        counters.incr("g", 2);
        assertEquals(2L, CacheGateway.of("counters").getValue("g"));
        assertTrue(CacheGateway.aliases().containsAll(List.of("default", "data", "counters")));
    }

    @Test
    void configure_replacingAlias_closesOldBackend() {
        CacheGateway.configure(Map.of("a", BackendSettings.memory()));
        CacheGateway first = CacheGateway.of("a");
        first.setValue("k", 1);
        CacheGateway.configure(Map.of("a", BackendSettings.memory()));
        CacheGateway second = CacheGateway.of("a");
        assertNotSame(first.backend(), second.backend());
        assertNull(second.getValue("k"));
        assertNull(first.getValue("k"));
    }

    @Test
    void configure_withBadSettings_failsNamingTheKey() {
        CacheConfigException e = assertThrows(CacheConfigException.class,
                () -> CacheGateway.configure(Map.of("x", Map.of("type", "memory", "colour", "red"))));
        assertEquals("backends.x.colour", e.key());
        assertThrows(CacheConfigException.class, () -> CacheGateway.configure(Map.of("y", 42)));
        assertFalse(CacheGateway.aliases().contains("x"));
    }

    @Test
    void applyConfig_injectsMaxSizeIntoMemoryAliasesWithoutTheirOwn() throws Exception {
        CacheConfig config = CacheConfigLoader.fromYaml(resource("in-memory.yaml"));
        CacheGateway.applyConfig(config);
        assertSame(config, CacheGateway.config());
        assertEquals(10_000L, CacheGateway.settings("local").maxSize());
        assertEquals(500L, CacheGateway.settings("local_counters").maxSize());
        assertEquals(10_000L, ((MemoryBackend) CacheGateway.of("local").backend()).maxSize());
        CacheGateway counters = CacheGateway.of(config.effectiveCounterAlias());
        assertEquals(GatewayMode.COUNTER, counters.mode());
        assertEquals(500L, ((MemoryBackend) counters.backend()).maxSize());
    }

    @Test
    void applyConfig_forwardsRedisBackendsUnchanged_andAppliesMaxValueBytes() throws Exception {
        CacheConfig config = new CacheConfigLoader(Map.of("LOOM_NAMESPACE", NS.namespace())::get)
                .yaml(resource("redis-with-counters.yaml"));
        CacheConfig bounded = CacheConfig.builder().alias(config.alias()).counterAlias(config.counterAlias())
                .backend("default", config.backends().get("default"))
                .backend("counters", config.backends().get("counters"))
                .maxSize(5L).maxValueBytes(100).build();
        CacheGateway.applyConfig(bounded);
        assertEquals(config.backends().get("default"), CacheGateway.settings("default"));
        CacheGateway data = CacheGateway.of("default");
        CacheGateway counters = CacheGateway.of(bounded.effectiveCounterAlias());
        RedissonBackend d = (RedissonBackend) data.backend();
        RedissonBackend c = (RedissonBackend) counters.backend();
        assertSame(d.client(), c.client());
        assertEquals(NS.child("data"), d.namespace());
        assertEquals(NS.child("gen"), c.namespace());
        assertTrue(data.setValue("small", "x"));
        assertFalse(data.setValue("big", "y".repeat(200)));
        assertEquals(1, counters.incr("user"));
        assertEquals("x", CacheGateway.of("default").getValue("small"));
    }
}
