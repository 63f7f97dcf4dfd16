package io.loom.cache.hibernate.repository;

import io.loom.cache.hibernate.model.TestDatabase;

/** The repository contract on MariaDB, in a private database dropped afterwards. */
class MariadbRepositoryContractTest extends RepositoryContractTest {

    @Override
    protected TestDatabase openDatabase() {
        return TestDatabase.mariadb("loom_repo_test");
    }
}
