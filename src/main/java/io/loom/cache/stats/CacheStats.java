package io.loom.cache.stats;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A snapshot of cache activity, for one entity or all of them. Plain numbers for users without
 * Micrometer; the same counters are published as Micrometer meters when a registry is given.
 *
 * @param hits           reads served from the cache (near hits included)
 * @param misses         reads that went to the database: absent, stale or undecodable entries, and
 *                       reads that bypassed the cache (see {@code bypassed})
 * @param staleMisses    misses whose entry existed but was invalidated by a write
 * @param loads          database loads run by this node (concurrent misses of one key share one)
 * @param loadNanos      total time spent in those loads
 * @param stores         loads stored in the cache
 * @param racedStores    loads not stored because a write committed while they ran
 *                       (also in {@code storesSkipped} as {@code concurrentWrite})
 * @param oversizeSkips  loads not stored because their encoded size exceeded the limit
 *                       (also in {@code storesSkipped} as {@code tooLarge})
 * @param bypasses       reads sent straight to the database without looking at the cache
 *                       ({@code bypassed} says why)
 * @param fallbacks      cache operations that failed and fell back to the database
 * @param bumps          committed transactions whose invalidations were delivered
 * @param bumpFailures   committed transactions whose invalidations failed at first (kept and retried)
 * @param nearHits       hits served from this node's near cache: no payload transferred or decoded,
 *                       and with pushed validation no round trip at all
 * @param storesSkipped  loads not stored, by reason: {@code concurrentWrite}, {@code tooLarge},
 *                       {@code callerTransaction} (loaded inside a caller's transaction, whose
 *                       snapshot may be older than the generations), {@code unwatchedEntity},
 *                       {@code unexpectedTags}, {@code notCacheable}, {@code storeFailed}; reasons
 *                       that never occurred are absent
 * @param bypassed       bypassed reads, by reason: {@code circuitOpen}, {@code pendingInvalidations},
 *                       {@code uncommittedChanges} (the caller's unit of work has pending changes)
 * @param circuitOpen    whether the circuit breaker was open when the snapshot was taken (a
 *                       difference of two snapshots keeps the later state)
 */
public record CacheStats(long hits, long misses, long staleMisses, long loads, long loadNanos, long stores,
                         long racedStores, long oversizeSkips, long bypasses, long fallbacks, long bumps,
                         long bumpFailures, long nearHits, Map<String, Long> storesSkipped,
                         Map<String, Long> bypassed, boolean circuitOpen) {

    public CacheStats {
        storesSkipped = Map.copyOf(storesSkipped);
        bypassed = Map.copyOf(bypassed);
    }

    /** Fraction of reads served from the cache, 0 when there were none. */
    public double hitRatio() {
        long reads = hits + misses;
        return reads == 0 ? 0 : (double) hits / reads;
    }

    /** Counter-wise difference {@code this - earlier}, for measuring one step of a test or benchmark. */
    public CacheStats minus(CacheStats earlier) {
        return new CacheStats(hits - earlier.hits, misses - earlier.misses, staleMisses - earlier.staleMisses,
                loads - earlier.loads, loadNanos - earlier.loadNanos, stores - earlier.stores,
                racedStores - earlier.racedStores, oversizeSkips - earlier.oversizeSkips,
                bypasses - earlier.bypasses, fallbacks - earlier.fallbacks, bumps - earlier.bumps,
                bumpFailures - earlier.bumpFailures, nearHits - earlier.nearHits,
                minus(storesSkipped, earlier.storesSkipped), minus(bypassed, earlier.bypassed), circuitOpen);
    }

    private static Map<String, Long> minus(Map<String, Long> later, Map<String, Long> earlier) {
        Set<String> reasons = new HashSet<>(later.keySet());
        reasons.addAll(earlier.keySet());
        Map<String, Long> out = new HashMap<>();
        for (String reason : reasons) {
            long n = later.getOrDefault(reason, 0L) - earlier.getOrDefault(reason, 0L);
            if (n != 0) {
                out.put(reason, n);
            }
        }
        return out;
    }
}
