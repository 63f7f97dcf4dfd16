package io.loom.cache.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NearCacheSettingsTest {

    private static final CacheConfigLoader NO_ENV = new CacheConfigLoader(name -> null);

    @Test
    void default_isValidatedWithTenThousandEntries() {
        NearCacheSettings near = CacheConfig.defaults().nearCache();
        assertEquals(NearCacheMode.VALIDATED, near.mode());
        assertEquals(10_000, near.maxEntries());
        assertEquals(Duration.ofMillis(200), near.maxLag());
    }

    @Test
    void yaml_setsModeSizeAndLag() {
        CacheConfig config = NO_ENV.yaml("""
                loom:
                  cache:
                    near-cache:
                      mode: pushed
                      max-entries: 500
                      max-lag: 50ms
                """);
        assertEquals(new NearCacheSettings(NearCacheMode.PUSHED, 500, Duration.ofMillis(50)), config.nearCache());
    }

    @Test
    void flatProperties_setTheSameKeys() {
        CacheConfig config = NO_ENV.properties(Map.of("loom.cache.near-cache.mode", "OFF",
                "loom.cache.near_cache.max_entries", "7", "loom.cache.near-cache.max-lag", "1000"));
        assertEquals(new NearCacheSettings(NearCacheMode.OFF, 7, Duration.ofSeconds(1)), config.nearCache());
    }

    @Test
    void badValues_nameTheirKey() {
        CacheConfigException mode = assertThrows(CacheConfigException.class,
                () -> NO_ENV.properties(Map.of("loom.cache.near-cache.mode", "eventual")));
        assertTrue(mode.getMessage().contains("near-cache.mode") && mode.getMessage().contains("eventual"), mode.getMessage());
        CacheConfigException size = assertThrows(CacheConfigException.class,
                () -> NO_ENV.properties(Map.of("loom.cache.near-cache.max-entries", "0")));
        assertTrue(size.getMessage().contains("near-cache.max-entries"), size.getMessage());
        CacheConfigException unknown = assertThrows(CacheConfigException.class,
                () -> NO_ENV.properties(Map.of("loom.cache.near-cache.size", "10")));
        assertTrue(unknown.getMessage().contains("near-cache.size"), unknown.getMessage());
        CacheConfigException lag = assertThrows(CacheConfigException.class,
                () -> NO_ENV.properties(Map.of("loom.cache.near-cache.max-lag", "0")));
        assertTrue(lag.getMessage().contains("near-cache.max-lag"), lag.getMessage());
    }

    @Test
    void leased_readsLeaseRenewalDriftAndAckTimeout_withDefaultsDerivedFromTheLease() {
        CacheConfig config = NO_ENV.properties(Map.of("loom.cache.near-cache.mode", "leased",
                "loom.cache.near-cache.lease", "600ms", "loom.cache.near-cache.drift-margin", "30ms"));
        NearCacheSettings near = config.nearCache();
        assertEquals(NearCacheMode.LEASED, near.mode());
        assertEquals(Duration.ofMillis(600), near.lease());
        assertEquals(Duration.ofMillis(200), near.renewal(), "a third of the lease");
        assertEquals(Duration.ofMillis(30), near.driftMargin());
        assertEquals(Duration.ofMillis(630), near.ackTimeout(), "lease + drift margin");

        CacheConfig explicit = NO_ENV.properties(Map.of("loom.cache.near-cache.mode", "leased",
                "loom.cache.near-cache.renewal", "100ms", "loom.cache.near-cache.ack-timeout", "2s"));
        assertEquals(Duration.ofSeconds(1), explicit.nearCache().lease());
        assertEquals(Duration.ofMillis(100), explicit.nearCache().renewal());
        assertEquals(Duration.ofSeconds(2), explicit.nearCache().ackTimeout());
    }

    @Test
    void leased_badValues_nameTheirKeyAndTheLimit() {
        CacheConfigException lease = assertThrows(CacheConfigException.class,
                () -> NO_ENV.properties(Map.of("loom.cache.near-cache.lease", "0")));
        assertTrue(lease.getMessage().contains("near-cache.lease"), lease.getMessage());
        CacheConfigException renewal = assertThrows(CacheConfigException.class,
                () -> NO_ENV.properties(Map.of("loom.cache.near-cache.renewal", "980ms")));
        assertTrue(renewal.getMessage().contains("near-cache.renewal") && renewal.getMessage().contains("950 ms"),
                renewal.getMessage());
        CacheConfigException drift = assertThrows(CacheConfigException.class,
                () -> NO_ENV.properties(Map.of("loom.cache.near-cache.drift-margin", "1s")));
        assertTrue(drift.getMessage().contains("near-cache.drift-margin"), drift.getMessage());
        CacheConfigException ack = assertThrows(CacheConfigException.class,
                () -> NO_ENV.properties(Map.of("loom.cache.near-cache.ack-timeout", "0")));
        assertTrue(ack.getMessage().contains("near-cache.ack-timeout"), ack.getMessage());
    }
}
