package io.loom.cache.hibernate.bulk;

import io.loom.cache.hibernate.e2e.LoomTestUnit;

/** Bulk and native mutations on PostgreSQL, where the tables live in a non-default schema. */
class BulkMutationPostgresTest extends ServerBulkMutationTest {

    @Override
    protected LoomTestUnit open(String namespace) {
        return LoomTestUnit.postgresOnRedis("loom_bulk", namespace);
    }
}
