package io.loom.cache.hibernate.repository;

import io.loom.cache.hibernate.model.TestDatabase;

import java.util.Map;

/** The read path on an in-memory H2 database. */
class H2ReadPathTest extends ReadPathTest {

    @Override
    protected TestDatabase openDatabase(Map<String, ?> properties) {
        return TestDatabase.h2(properties);
    }
}
