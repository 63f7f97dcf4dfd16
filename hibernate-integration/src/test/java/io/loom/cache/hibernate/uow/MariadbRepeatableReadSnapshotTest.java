package io.loom.cache.hibernate.uow;

import io.loom.cache.hibernate.model.TestDatabase;

/** On MariaDB, whose default isolation is REPEATABLE READ. */
class MariadbRepeatableReadSnapshotTest extends RepeatableReadSnapshotTest {
    @Override
    TestDatabase.Kind server() {
        return TestDatabase.Kind.MARIADB;
    }
}
