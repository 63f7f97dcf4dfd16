package io.loom.cache.hibernate.uow;

import io.loom.cache.hibernate.model.TestDatabase;

/** On PostgreSQL with REPEATABLE READ. */
class PostgresRepeatableReadSnapshotTest extends RepeatableReadSnapshotTest {
    @Override
    TestDatabase.Kind server() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
