package io.loom.cache.benchmarks;

/**
 * Hit and miss counts of a cached implementation: entity reads and list (query) reads.
 *
 * @param entityHits  reads by id served from the cache
 * @param entityMisses reads by id that went to the database
 * @param listHits    list reads served from the cache
 * @param listMisses  list reads that went to the database
 */
public record CacheCounters(long entityHits, long entityMisses, long listHits, long listMisses) {

    /** The counters of an implementation without a cache. */
    public static final CacheCounters NONE = new CacheCounters(0, 0, 0, 0);

    /** Counts accumulated since {@code earlier}. */
    public CacheCounters minus(CacheCounters earlier) {
        return new CacheCounters(entityHits - earlier.entityHits, entityMisses - earlier.entityMisses,
                listHits - earlier.listHits, listMisses - earlier.listMisses);
    }

    public CacheCounters plus(CacheCounters other) {
        return new CacheCounters(entityHits + other.entityHits, entityMisses + other.entityMisses,
                listHits + other.listHits, listMisses + other.listMisses);
    }

    /** Fraction of entity reads served from the cache, or NaN when there were none. */
    public double entityHitRatio() {
        return ratio(entityHits, entityMisses);
    }

    /** Fraction of list reads served from the cache, or NaN when there were none. */
    public double listHitRatio() {
        return ratio(listHits, listMisses);
    }

    private static double ratio(long hits, long misses) {
        long total = hits + misses;
        return total == 0 ? Double.NaN : (double) hits / total;
    }
}
