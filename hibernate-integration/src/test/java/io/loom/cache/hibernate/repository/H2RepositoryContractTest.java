package io.loom.cache.hibernate.repository;

import io.loom.cache.hibernate.model.TestDatabase;

/** The repository contract on an in-memory H2 database. */
class H2RepositoryContractTest extends RepositoryContractTest {

    @Override
    protected TestDatabase openDatabase() {
        return TestDatabase.h2();
    }
}
