package io.loom.cache.hibernate.stateless;

import io.loom.cache.hibernate.model.TestDatabase;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A private database that several persistence units (nodes) of any unit name open: a fresh H2
 * in-memory database, a PostgreSQL schema or a MariaDB database, dropped by {@link #close()}.
 */
final class PrivateDatabase implements AutoCloseable {

    private final TestDatabase.Kind kind;
    private final String name;
    private final Map<String, Object> properties;

    private PrivateDatabase(TestDatabase.Kind kind, String name, Map<String, Object> properties) {
        this.kind = kind;
        this.name = name;
        this.properties = properties;
    }

    static PrivateDatabase create(TestDatabase.Kind kind, String prefix) {
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Map<String, Object> props = new HashMap<>();
        switch (kind) {
            case H2 -> props.put("jakarta.persistence.jdbc.url", TestDatabase.sharedH2Url());
            case POSTGRESQL -> {
                TestDatabase.execute(TestDatabase.PG_URL, "postgres", "CREATE SCHEMA " + name);
                props.put("jakarta.persistence.jdbc.url", TestDatabase.PG_URL + "?currentSchema=" + name);
                props.put("jakarta.persistence.jdbc.user", "postgres");
                props.put("hibernate.default_schema", name);
            }
            case MARIADB -> {
                TestDatabase.execute(TestDatabase.MARIADB_URL, "root", "CREATE DATABASE " + name);
                props.put("jakarta.persistence.jdbc.url", TestDatabase.mariadbUrl(name));
                props.put("jakarta.persistence.jdbc.user", "root");
            }
        }
        return new PrivateDatabase(kind, name, props);
    }

    /** Connection properties of a persistence unit on this database. */
    Map<String, Object> properties() {
        return new HashMap<>(properties);
    }

    @Override
    public void close() {
        switch (kind) {
            case POSTGRESQL -> TestDatabase.execute(TestDatabase.PG_URL, "postgres",
                    "DROP SCHEMA IF EXISTS " + name + " CASCADE");
            case MARIADB -> TestDatabase.execute(TestDatabase.MARIADB_URL, "root",
                    "DROP DATABASE IF EXISTS " + name);
            case H2 -> { }
        }
    }
}
