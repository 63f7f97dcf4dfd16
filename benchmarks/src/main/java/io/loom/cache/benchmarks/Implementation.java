package io.loom.cache.benchmarks;

/**
 * The implementations compared side by side; the JMH {@code @Param} of every benchmark.
 * {@link #LOOM_REDIS}, {@link #LOOM_REDIS_PUSHED}, {@link #LOOM_REDIS_LEASED} and {@link #LOOM_MEMORY} are created by {@link LoomReaders}, the single
 * place where Loom is wired in.
 */
public enum Implementation {

    /** Hibernate {@code find} / Criteria list in a fresh session, HikariCP, PostgreSQL, no cache. */
    NO_CACHE,
    /** Hibernate second-level cache (entity READ_WRITE) and query cache through Redisson's region factory. */
    HIBERNATE_2LC,
    /** The floor: one raw Redisson GET of the row's (or page's) msgpack bytes, then decode. */
    RAW_REDIS_GET,
    /** Loom's CachedRepository on the Redis backend, default settings (near cache validated per hit). */
    LOOM_REDIS,
    /** The same with {@code near-cache.mode=pushed}: near-cache hits without a round trip. */
    LOOM_REDIS_PUSHED,
    /**
     * The same with {@code near-cache.mode=leased}: near-cache hits without a round trip and never
     * stale. A second Loom node (its own cache, in this JVM) holds a lease on the namespace, so
     * every commit waits for its acknowledgement as with two application nodes.
     */
    LOOM_REDIS_LEASED,
    /** Loom's CachedRepository on the in-memory backend. */
    LOOM_MEMORY;

    /**
     * A new reader of this implementation; the caller closes it.
     *
     * @throws UnsupportedOperationException for a Loom implementation not wired yet
     */
    public EntityReader create(BenchSettings settings, int maxThreads) {
        return switch (this) {
            case NO_CACHE -> HibernateReader.uncached(settings, maxThreads);
            case HIBERNATE_2LC -> HibernateReader.secondLevelCache(settings, maxThreads);
            case RAW_REDIS_GET -> new RawRedisReader(settings);
            case LOOM_REDIS, LOOM_REDIS_PUSHED, LOOM_REDIS_LEASED, LOOM_MEMORY -> LoomReaders.create(this, settings, maxThreads);
        };
    }
}
