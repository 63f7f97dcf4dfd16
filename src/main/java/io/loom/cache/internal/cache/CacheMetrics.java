package io.loom.cache.internal.cache;

import io.loom.cache.cached.CacheStats;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Cache activity counters, in total and per entity. Every event is counted in both. Thread-safe.
 */
public final class CacheMetrics {

    private final CacheCounters total = new CacheCounters();
    private final Map<String, CacheCounters> perEntity = new ConcurrentHashMap<>();
    private final List<Consumer<String>> entityListeners = new CopyOnWriteArrayList<>();

    /**
     * Calls {@code listener} with every entity that has counters now and with each entity that gets
     * counters later (once per entity, on the thread counting its first event; it must not block).
     * An entity may be reported twice if it appears while the listener is being added.
     */
    public void onEntity(Consumer<String> listener) {
        entityListeners.add(listener);
        perEntity.keySet().forEach(listener);
    }

    public CacheStats snapshot() {
        return total.snapshot();
    }

    /** Counters of one entity; zeros for an entity never seen. */
    public CacheStats snapshot(String entity) {
        CacheCounters counters = perEntity.get(entity);
        return counters == null ? new CacheCounters().snapshot() : counters.snapshot();
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
    }

    void oversize(String entity) {
        count(entity, c -> c.oversizeSkips);
    }

    void bypass(String entity) {
        count(entity, c -> c.bypasses);
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
