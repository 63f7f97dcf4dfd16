package io.loom.cache;

import io.loom.cache.config.BackendSettings;
import io.loom.cache.config.BackendType;
import io.loom.cache.config.CacheConfig;
import io.loom.cache.invalidation.MutationEvent;
import io.loom.cache.serialization.MsgpackSerializer;
import io.loom.cache.testing.Await;
import io.loom.cache.testing.RedisServerProcess;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writes Loom cannot see, reported through {@link LoomCache#resolver()} as mutation events. */
class ReportedWritesTest {

    private final AtomicInteger loads = new AtomicInteger();

    private String read(LoomCache cache, String value) {
        return cache.getOrLoad("total", List.of("Invoice"), String.class, Duration.ofMinutes(1), () -> {
            loads.incrementAndGet();
            return value;
        });
    }

    private static MutationEvent invoiceUpdate(long id) {
        return MutationEvent.update("Invoice", id, Set.of("amount"), Map.of("amount", 1), Map.of("amount", 2));
    }

    @Test
    void bumpFromEvents_invalidatesWhatTheReportedRowsAffect_andNothingElse() {
        try (LoomCache cache = LoomCache.inMemory()) {
            assertEquals("v1", read(cache, "v1"));
            cache.resolver().bumpFromEvents(List.of(
                    MutationEvent.insert("Customer", 9, Map.of("name", "c"))));
            assertEquals("v1", read(cache, "unused"));
            assertEquals(1, loads.get(), "another entity's write leaves the value cached");

            cache.resolver().bumpFromEvents(List.of(invoiceUpdate(7)));
            assertEquals("v2", read(cache, "v2"));
            assertEquals(2, loads.get(), "the reported update invalidated the value");
            assertEquals(2, cache.stats().bumps());
        }
    }

    @Test
    void bumpFromEvents_whileRedisIsDown_neitherThrowsNorIsLost() {
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            BackendSettings settings = BackendSettings.builder(BackendType.REDIS).address(redis.address())
                    .serializer(MsgpackSerializer.NAME).namespace("loom-reported")
                    .timeout(Duration.ofMillis(300)).retryAttempts(0).build();
            CacheConfig config = CacheConfig.builder().backend("default", settings).build();
            try (LoomCache cache = LoomCache.builder(config).retryEvery(Duration.ofMillis(50)).build()) {
                assertEquals("v1", read(cache, "v1"));
                assertEquals("v1", read(cache, "unused"));

                redis.pause();
                try {
                    cache.resolver().bumpFromEvents(List.of(invoiceUpdate(7)));
                    assertEquals(1, cache.pendingInvalidations(), "kept for retry, not thrown");
                    assertFalse(cache.backendAvailable());
                    assertEquals("v-db", read(cache, "v-db"), "reads go to the database meanwhile");
                } finally {
                    redis.resume();
                }
                Await.until(() -> cache.pendingInvalidations() == 0, "the kept bump is delivered after Redis resumes");
                Await.until(cache::backendAvailable, "cache reads resume");
                assertEquals("v2", read(cache, "v2"), "the delivered bump invalidated the value stored before");
                assertTrue(loads.get() >= 3);
            }
        }
    }
}
