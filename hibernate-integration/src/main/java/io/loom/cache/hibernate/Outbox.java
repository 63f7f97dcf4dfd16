package io.loom.cache.hibernate;

/**
 * The durable invalidation outbox of one persistence unit ({@link LoomHibernateSettings#OUTBOX}),
 * as health checks and operators see it. Thread-safe.
 */
public interface Outbox {

    /**
     * Rows of this unit's namespace in the outbox table, not swept yet (diagnostics).
     *
     * @throws io.loom.cache.error.LoomException when the database cannot be read
     */
    int size();

    /**
     * One sweep now: deletes delivered rows, replays rows older than the replay delay and deletes
     * them (the background sweeper does the same periodically).
     *
     * @return the number of rows replayed
     * @throws io.loom.cache.error.LoomException when the database fails; a failing cache leaves the rows for later
     */
    int sweep();
}
