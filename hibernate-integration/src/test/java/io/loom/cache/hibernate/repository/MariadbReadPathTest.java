package io.loom.cache.hibernate.repository;

import io.loom.cache.hibernate.model.TestDatabase;

import java.util.Map;

/** The read path on MariaDB, in a private database dropped afterwards. */
class MariadbReadPathTest extends ReadPathTest {

    @Override
    protected TestDatabase openDatabase(Map<String, ?> properties) {
        return TestDatabase.mariadb("loom_read_path_test", properties);
    }
}
