package io.loom.cache.metrics;

import io.loom.cache.LoomCache;
import io.loom.cache.gateway.GatewayMode;
import io.loom.cache.gateway.GenerationStore;
import io.loom.cache.internal.backend.MemoryBackend;
import io.loom.cache.internal.codec.EntryCodec;
import io.loom.cache.internal.read.CacheGuard;
import io.loom.cache.internal.read.CacheMetrics;
import io.loom.cache.internal.read.Lookup;
import io.loom.cache.internal.read.StampedCache;
import io.loom.cache.testing.TestStores;
import io.loom.cache.testing.TextCodec;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoomCacheMetricsTest {

    private static final EntryCodec<String> TEXT = TextCodec.INSTANCE;

    private final CacheMetrics metrics = new CacheMetrics();
    private final AtomicInteger pending = new AtomicInteger();
    private final MemoryBackend backend = new MemoryBackend(GatewayMode.DATA);
    private final GenerationStore store = TestStores.memory(backend);

    private StampedCache cache(long maxValueBytes) {
        return new StampedCache(store, metrics, CacheGuard.standard(Duration.ofSeconds(2)), maxValueBytes);
    }

    private static Lookup<String> lookup(String entity, String id, String value) {
        return new Lookup<>(entity, entity + ":id:" + id, Set.of(entity), Set.of("e:" + entity, "r:" + entity + ":" + id),
                Duration.ofMinutes(1), null, TEXT,
                () -> Lookup.Loaded.of(value, Set.of(), Set.of(entity)));
    }

    private static double counter(SimpleMeterRegistry registry, String name, String entity) {
        return registry.get(name).tag("entity", entity).functionCounter().count();
    }

    @Test
    void bindTo_beforeActivity_publishesPerEntityAndCacheWideMeters() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new LoomCacheMetrics(metrics, pending::get, Tag.of("app", "library")).bindTo(registry);
        StampedCache cache = cache(1024);

        cache.get(lookup("book", "1", "Dune"));
        cache.get(lookup("book", "1", "Dune"));
        cache.get(lookup("book", "2", "Emma"));
        cache.get(lookup("author", "1", "Austen"));
        metrics.bumpDelivered();
        metrics.bumpFailed();
        pending.set(3);

        assertEquals(1, counter(registry, "loom.cache.hits", "book"));
        assertEquals(2, counter(registry, "loom.cache.misses", "book"));
        assertEquals(2, counter(registry, "loom.cache.stores", "book"));
        assertEquals(1, counter(registry, "loom.cache.misses", "author"));
        assertEquals(2, registry.get("loom.cache.loads").tag("entity", "book").functionTimer().count());
        assertTrue(registry.get("loom.cache.loads").tag("entity", "book").functionTimer()
                .totalTime(TimeUnit.NANOSECONDS) > 0);
        assertEquals(1, registry.get("loom.cache.total.hits").functionCounter().count());
        assertEquals(3, registry.get("loom.cache.total.misses").functionCounter().count());
        assertEquals(1, registry.get("loom.cache.bumps").functionCounter().count());
        assertEquals(1, registry.get("loom.cache.bump.failures").functionCounter().count());
        assertEquals(3, registry.get("loom.cache.pending.invalidations").gauge().value());
        assertEquals("library", registry.get("loom.cache.hits").tag("entity", "book").meter().getId().getTag("app"));
    }

    @Test
    void bindTo_afterActivity_registersExistingEntities_andCountsOversizeSkips() {
        StampedCache cache = cache(8);
        cache.get(lookup("book", "1", "a title longer than eight bytes"));
        cache.get(lookup("book", "1", "a title longer than eight bytes"));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new LoomCacheMetrics(metrics, pending::get).bindTo(registry);
        assertEquals(2, counter(registry, "loom.cache.oversize.skips", "book"));
        assertEquals(0, counter(registry, "loom.cache.hits", "book"));
        assertEquals(2, registry.get("loom.cache.total.oversize.skips").functionCounter().count());
        assertEquals(2, registry.get("loom.cache.stores.skipped").tags("entity", "book", "reason", "tooLarge")
                .functionCounter().count(), "the same skips under their reason");
        assertEquals(0, registry.get("loom.cache.stores.skipped").tags("entity", "book", "reason", "concurrentWrite")
                .functionCounter().count());
        assertEquals(0, registry.get("loom.cache.circuit.open").gauge().value());
    }

    @Test
    void loomCacheBinder_overInMemoryCache_registersCacheWideMeters() {
        try (LoomCache loom = LoomCache.inMemory()) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new LoomCacheMetrics(loom).bindTo(registry);
            loom.invalidate("Book");
            assertEquals(1, registry.get("loom.cache.bumps").functionCounter().count());
            assertEquals(0, registry.get("loom.cache.pending.invalidations").gauge().value());
        }
    }
}
