package io.loom.cache.internal.cache;

import io.loom.cache.cached.CacheStats;

import java.util.concurrent.atomic.LongAdder;

/** The live counters behind one {@link CacheStats} snapshot. Thread-safe. */
final class CacheCounters {

    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder staleMisses = new LongAdder();
    final LongAdder loads = new LongAdder();
    final LongAdder loadNanos = new LongAdder();
    final LongAdder stores = new LongAdder();
    final LongAdder racedStores = new LongAdder();
    final LongAdder oversizeSkips = new LongAdder();
    final LongAdder bypasses = new LongAdder();
    final LongAdder fallbacks = new LongAdder();
    final LongAdder bumps = new LongAdder();
    final LongAdder bumpFailures = new LongAdder();
    final LongAdder nearHits = new LongAdder();

    CacheStats snapshot() {
        return new CacheStats(hits.sum(), misses.sum(), staleMisses.sum(), loads.sum(), loadNanos.sum(),
                stores.sum(), racedStores.sum(), oversizeSkips.sum(), bypasses.sum(), fallbacks.sum(),
                bumps.sum(), bumpFailures.sum(), nearHits.sum());
    }
}
