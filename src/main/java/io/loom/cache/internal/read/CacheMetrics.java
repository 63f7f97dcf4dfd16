package io.loom.cache.internal.read;

import io.loom.cache.stats.CacheActivity;
import io.loom.cache.stats.CacheStats;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Cache activity counters, in total and per entity. Every event is counted in both. Thread-safe.
 */
public final class CacheMetrics implements CacheActivity {

    private final CacheCounters total = new CacheCounters();
    private final Map<String, CacheCounters> perEntity = new ConcurrentHashMap<>();
    private final List<Consumer<String>> entityListeners = new CopyOnWriteArrayList<>();
    private volatile java.util.function.BooleanSupplier circuitOpen = () -> false;

    /** Where snapshots read whether the circuit breaker is open. */
    public void circuitState(java.util.function.BooleanSupplier open) {
        this.circuitOpen = java.util.Objects.requireNonNull(open, "open");
    }

    /**
     * Calls {@code listener} with every entity that has counters now and with each entity that gets
     * counters later (once per entity, on the thread counting its first event; it must not block).
     * An entity may be reported twice if it appears while the listener is being added.
     */
    @Override
    public void onEntity(Consumer<String> listener) {
        entityListeners.add(listener);
        perEntity.keySet().forEach(listener);
    }

    @Override
    public CacheStats snapshot() {
        return total.snapshot(circuitOpen.getAsBoolean());
    }

    /** Counters of one entity; zeros for an entity never seen. */
    @Override
    public CacheStats snapshot(String entity) {
        CacheCounters counters = perEntity.get(entity);
        return (counters == null ? new CacheCounters() : counters).snapshot(circuitOpen.getAsBoolean());
    }

    @Override
    public java.util.Set<String> storeSkipReasons() {
        return reasons(false);
    }

    @Override
    public java.util.Set<String> bypassReasons() {
        return reasons(true);
    }

    private static java.util.Set<String> reasons(boolean bypass) {
        java.util.Set<String> labels = new java.util.LinkedHashSet<>();
        for (SkipReason reason : SkipReason.values()) {
            if (reason.bypass() == bypass) {
                labels.add(reason.label());
            }
        }
        return java.util.Collections.unmodifiableSet(labels);
    }

    /** Entities with counters so far. */
    public java.util.Set<String> entities() {
        return java.util.Set.copyOf(perEntity.keySet());
    }

    void hit(String entity) {
        count(entity, c -> c.hits);
    }

    void nearHit(String entity) {
        count(entity, c -> c.hits);
        count(entity, c -> c.nearHits);
    }

    void miss(String entity, boolean stale) {
        count(entity, c -> c.misses);
        if (stale) {
            count(entity, c -> c.staleMisses);
        }
    }

    void load(String entity, long nanos) {
        count(entity, c -> c.loads);
        total.loadNanos.add(nanos);
        entity(entity).loadNanos.add(nanos);
    }

    void stored(String entity) {
        count(entity, c -> c.stores);
    }

    void raced(String entity) {
        count(entity, c -> c.racedStores);
        skipped(entity, SkipReason.CONCURRENT_WRITE);
    }

    void oversize(String entity) {
        count(entity, c -> c.oversizeSkips);
        skipped(entity, SkipReason.TOO_LARGE);
    }

    /** A load that was not stored, or (for a bypass reason) a read that did not look at the cache. */
    void skipped(String entity, SkipReason reason) {
        count(entity, c -> c.skips.get(reason));
    }

    /** A read sent straight to the database: a miss, a bypass, and its reason. */
    void bypass(String entity, SkipReason reason) {
        count(entity, c -> c.bypasses);
        count(entity, c -> c.misses);
        skipped(entity, reason);
    }

    void fallback(String entity) {
        count(entity, c -> c.fallbacks);
    }

    /** A committed transaction's invalidations were delivered. */
    public void bumpDelivered() {
        total.bumps.increment();
    }

    /** A committed transaction's invalidations could not be delivered at first. */
    public void bumpFailed() {
        total.bumpFailures.increment();
    }

    private void count(String entity, Function<CacheCounters, java.util.concurrent.atomic.LongAdder> counter) {
        counter.apply(total).increment();
        counter.apply(entity(entity)).increment();
    }

    private CacheCounters entity(String entity) {
        CacheCounters counters = perEntity.get(entity);
        if (counters != null) {
            return counters;
        }
        CacheCounters created = new CacheCounters();
        CacheCounters prior = perEntity.putIfAbsent(entity, created);
        if (prior != null) {
            return prior;
        }
        entityListeners.forEach(listener -> listener.accept(entity));
        return created;
    }
}
