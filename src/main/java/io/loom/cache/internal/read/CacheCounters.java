package io.loom.cache.internal.read;

import io.loom.cache.stats.CacheStats;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
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
    /** Skipped stores and bypassed reads, by reason (the reason says which). */
    final Map<SkipReason, LongAdder> skips = new EnumMap<>(SkipReason.class);

    CacheCounters() {
        for (SkipReason reason : SkipReason.values()) {
            skips.put(reason, new LongAdder());
        }
    }

    CacheStats snapshot(boolean circuitOpen) {
        Map<String, Long> skipped = new LinkedHashMap<>();
        Map<String, Long> bypassed = new LinkedHashMap<>();
        skips.forEach((reason, count) -> {
            long n = count.sum();
            if (n > 0) {
                (reason.bypass() ? bypassed : skipped).put(reason.label(), n);
            }
        });
        return new CacheStats(hits.sum(), misses.sum(), staleMisses.sum(), loads.sum(), loadNanos.sum(),
                stores.sum(), racedStores.sum(), oversizeSkips.sum(), bypasses.sum(), fallbacks.sum(),
                bumps.sum(), bumpFailures.sum(), nearHits.sum(), skipped, bypassed, circuitOpen);
    }
}
