package io.loom.cache.hibernate;

import io.loom.cache.config.CacheConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The outbox's duration settings read in the one grammar of the core's duration settings. */
class OutboxDurationSettingsTest {

    private static final String KEY = LoomHibernateSettings.OUTBOX_REPLAY_AFTER;

    private static Duration read(Object value) {
        return LoomIntegrator.duration(Map.of(KEY, value), KEY, LoomHibernateSettings.DEFAULT_REPLAY_AFTER);
    }

    @Test
    void unset_givesTheDefault() {
        assertEquals(LoomHibernateSettings.DEFAULT_REPLAY_AFTER,
                LoomIntegrator.duration(Map.of(), KEY, LoomHibernateSettings.DEFAULT_REPLAY_AFTER));
    }

    @Test
    void everyForm_ofTheCoreGrammar_isRead_bareNumbersInMilliseconds() {
        assertEquals(Duration.ofMillis(1500), read("1500"));
        assertEquals(Duration.ofMillis(1500), read(1500));
        assertEquals(Duration.ofMillis(500), read(" 500ms "));
        assertEquals(Duration.ofSeconds(5), read("5s"));
        assertEquals(Duration.ofMinutes(2), read("2m"));
        assertEquals(Duration.ofHours(1), read("1h"));
        assertEquals(Duration.ofSeconds(30), read("PT30S"));
        assertEquals(Duration.ofSeconds(7), read(Duration.ofSeconds(7)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "5 parsecs", "-5s", "0", "0ms", "PT0S", "PT-5S"})
    void notAPositiveDuration_failsNamingTheKeyAndTheValue(String value) {
        CacheConfigException failure = assertThrows(CacheConfigException.class, () -> read(value));
        assertEquals(KEY, failure.key());
        assertTrue(failure.getMessage().contains(KEY), failure.getMessage());
        assertTrue(failure.getMessage().contains(value.trim()), failure.getMessage());
    }
}
