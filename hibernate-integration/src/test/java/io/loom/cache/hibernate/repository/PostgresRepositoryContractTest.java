package io.loom.cache.hibernate.repository;

import io.loom.cache.hibernate.model.TestDatabase;

/** The repository contract on PostgreSQL, in a private schema dropped afterwards. */
class PostgresRepositoryContractTest extends RepositoryContractTest {

    @Override
    protected TestDatabase openDatabase() {
        return TestDatabase.postgres("loom_repo_test");
    }
}
