package io.loom.cache.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BumpSettingsTest {

    private static final CacheConfigLoader NO_ENV = new CacheConfigLoader(name -> null);

    @Test
    void default_isTheCommandTimeout_noReplicas_thousandCountersPerCall() {
        BumpSettings bump = CacheConfig.defaults().bump();
        assertNull(bump.timeout());
        assertEquals(Duration.ofMillis(500), bump.effectiveTimeout(Duration.ofMillis(500)));
        assertEquals(0, bump.replicas());
        assertEquals(Duration.ofMillis(100), bump.replicaTimeout());
        assertEquals(1_000, bump.maxCountersPerCall());
    }

    @Test
    void yamlAndProperties_setEveryKey() {
        CacheConfig yaml = NO_ENV.yaml("""
                loom:
                  cache:
                    bump:
                      timeout: 250ms
                      replicas: 1
                      replica-timeout: 50
                      max-counters-per-call: 200
                """);
        BumpSettings expected = new BumpSettings(Duration.ofMillis(250), 1, Duration.ofMillis(50), 200);
        assertEquals(expected, yaml.bump());
        CacheConfig props = NO_ENV.properties(Map.of("loom.cache.bump.timeout", "250", "loom.cache.bump.replicas", "1",
                "loom.cache.bump.replica_timeout", "50ms", "loom.cache.bump.maxCountersPerCall", "200"));
        assertEquals(expected, props.bump());
        assertEquals(Duration.ofMillis(250), expected.effectiveTimeout(Duration.ofSeconds(5)));
    }

    @Test
    void badValues_nameTheirKey() {
        assertEquals("bump.replicas", assertThrows(CacheConfigException.class,
                () -> NO_ENV.properties(Map.of("loom.cache.bump.replicas", "-1"))).key());
        assertEquals("bump.max-counters-per-call", assertThrows(CacheConfigException.class,
                () -> NO_ENV.properties(Map.of("loom.cache.bump.max-counters-per-call", "0"))).key());
        assertEquals("bump.timeout", assertThrows(CacheConfigException.class,
                () -> NO_ENV.properties(Map.of("loom.cache.bump.timeout", "0"))).key());
        assertEquals("bump.replica-timeout", assertThrows(CacheConfigException.class,
                () -> NO_ENV.properties(Map.of("loom.cache.bump.timeout", "100", "loom.cache.bump.replicas", "1",
                        "loom.cache.bump.replica-timeout", "100"))).key());
        assertEquals("bump.retries", assertThrows(CacheConfigException.class,
                () -> NO_ENV.properties(Map.of("loom.cache.bump.retries", "2"))).key());
    }
}
