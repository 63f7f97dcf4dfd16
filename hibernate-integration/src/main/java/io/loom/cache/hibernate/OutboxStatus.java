package io.loom.cache.hibernate;

/**
 * What an operator needs to know of the durable invalidation outbox of a persistence unit
 * ({@link LoomHibernateSettings#OUTBOX}). Thread-safe; each call reads the table afresh.
 */
public interface OutboxStatus {

    /** The outbox table, schema-qualified when the unit names a default schema. */
    String table();

    /**
     * Rows of this deployment's namespace still in the table: committed transactions whose
     * invalidation is not yet delivered, or delivered and not yet swept (about one sweep period of
     * writes in normal operation; a growing figure means the cache is unreachable).
     *
     * @throws io.loom.cache.LoomException when the database cannot be read
     */
    int rows();
}
