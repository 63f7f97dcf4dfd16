package io.loom.cache.hibernate.uow;

import io.loom.cache.hibernate.model.TestDatabase;

/** The inheritance cases on MariaDB. */
class MariadbInheritanceCachingTest extends InheritanceCachingTest {
    @Override
    TestDatabase.Kind server() {
        return TestDatabase.Kind.MARIADB;
    }
}
