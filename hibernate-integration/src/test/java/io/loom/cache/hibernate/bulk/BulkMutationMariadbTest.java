package io.loom.cache.hibernate.bulk;

import io.loom.cache.hibernate.e2e.LoomTestUnit;

/** Bulk and native mutations on MariaDB, where the tables live in a private database. */
class BulkMutationMariadbTest extends ServerBulkMutationTest {

    @Override
    protected LoomTestUnit open(String namespace) {
        return LoomTestUnit.mariadbOnRedis("loom_bulk", namespace);
    }
}
