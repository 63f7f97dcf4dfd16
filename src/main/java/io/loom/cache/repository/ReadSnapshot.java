package io.loom.cache.repository;

/**
 * What a read made now would see, as a repository reports it through
 * {@link ReadTracking#readSnapshot()}. A cache stores a loaded value only if it came from a
 * database snapshot that began after the cache read its generations and that holds no
 * uncommitted change: only {@link #FRESH} reads qualify.
 */
public enum ReadSnapshot {
    /**
     * The read runs on its own, in a snapshot that starts when it does (a session or statement of
     * its own, READ COMMITTED or autocommit): its result may be stored.
     */
    FRESH,
    /**
     * The read joins a caller's transaction or unit of work that holds no uncommitted change. Its
     * snapshot may be older than the cache's generations (REPEATABLE READ and SERIALIZABLE fix it
     * at the transaction's first read; the persistence context returns rows loaded earlier), so a
     * load is served to the caller but never stored. A cached value may be served: it was
     * committed, and the unit changed nothing it could contradict.
     */
    CALLER_TRANSACTION,
    /**
     * The read joins a caller's unit of work that holds uncommitted (flushed or pending) changes:
     * it is served from the unit of work, never from the cache, and nothing is stored.
     */
    UNCOMMITTED_CHANGES
}
