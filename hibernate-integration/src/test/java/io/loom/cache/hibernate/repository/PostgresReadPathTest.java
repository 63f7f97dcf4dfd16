package io.loom.cache.hibernate.repository;

import io.loom.cache.hibernate.model.TestDatabase;

import java.util.Map;

/** The read path on PostgreSQL, in a private schema dropped afterwards. */
class PostgresReadPathTest extends ReadPathTest {

    @Override
    protected TestDatabase openDatabase(Map<String, ?> properties) {
        return TestDatabase.postgres("loom_read_path_test", properties);
    }
}
