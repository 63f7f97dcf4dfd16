package io.loom.cache.cached;

/**
 * A snapshot of cache activity, for one entity or all of them. Plain numbers for users without
 * Micrometer; the same counters are published as Micrometer meters when a registry is given.
 *
 * @param hits           reads served from the cache (near hits included)
 * @param misses         reads that went to the database (absent, stale or undecodable entries)
 * @param staleMisses    misses whose entry existed but was invalidated by a write
 * @param loads          database loads run by this node (concurrent misses of one key share one)
 * @param loadNanos      total time spent in those loads
 * @param stores         loads stored in the cache
 * @param racedStores    loads not stored because a write committed while they ran
 * @param oversizeSkips  loads not stored because their encoded size exceeded the limit
 * @param bypasses       reads sent straight to the database because the cache was unavailable or
 *                       this node had invalidations not yet delivered
 * @param fallbacks      cache operations that failed and fell back to the database
 * @param bumps          committed transactions whose invalidations were delivered
 * @param bumpFailures   committed transactions whose invalidations failed at first (kept and retried)
 * @param nearHits       hits served from this node's near cache: no payload transferred or decoded,
 *                       and with pushed validation no round trip at all
 */
public record CacheStats(long hits, long misses, long staleMisses, long loads, long loadNanos, long stores,
                         long racedStores, long oversizeSkips, long bypasses, long fallbacks, long bumps,
                         long bumpFailures, long nearHits) {

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
                bumpFailures - earlier.bumpFailures, nearHits - earlier.nearHits);
    }
}
