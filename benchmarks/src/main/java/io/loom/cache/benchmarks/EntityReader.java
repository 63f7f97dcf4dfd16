package io.loom.cache.benchmarks;

import java.util.List;

/**
 * What every benchmarked implementation does, in the shape of a repository: read one row by id,
 * read a 20-row page of one category sorted by title, commit one update. Implementations are
 * created by {@link Implementation#create(BenchSettings)} and must be thread-safe (JMH calls them
 * from up to 8 threads at once).
 */
public interface EntityReader extends AutoCloseable {

    /**
     * The row with this id, as committed.
     *
     * @throws BenchException if the row does not exist or the backing service fails
     */
    BookRow find(long id);

    /**
     * Up to {@code limit} rows whose category equals {@code category}, ordered by title.
     *
     * @throws BenchException if the backing service fails
     */
    List<BookRow> list(String category, int limit);

    /**
     * Increments the row's revision in its own committed transaction.
     *
     * @throws UnsupportedOperationException for read-only floors
     */
    void update(long id);

    /** Cumulative hit/miss counters since creation; {@link CacheCounters#NONE} if uncached. */
    default CacheCounters counters() {
        return CacheCounters.NONE;
    }

    /**
     * Fills whatever cache the implementation has: reads every row and/or every category's first
     * page once, from several threads.
     */
    default void warm(Warming what) {
        Warmer.read(this, what);
    }

    /** Releases pools and clients and deletes this implementation's Redis keys. */
    @Override
    void close();
}
