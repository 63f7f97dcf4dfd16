package io.loom.cache.hibernate.model;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A private database that several persistence units (nodes) of any unit name open: a fresh H2
 * in-memory database, a PostgreSQL schema or a MariaDB database, dropped by {@link #close()}.
 */
public final class PrivateDatabase implements AutoCloseable {

    private final TestDatabase.Kind kind;
    private final String name;
    private final Map<String, Object> properties;

    private PrivateDatabase(TestDatabase.Kind kind, String name, Map<String, Object> properties) {
        this.kind = kind;
        this.name = name;
        this.properties = properties;
    }

    /** A fresh private database on {@code kind}, named {@code <prefix>_<random>}. */
    public static PrivateDatabase create(TestDatabase.Kind kind, String prefix) {
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

    /** Runs {@code sql} on this database, outside any persistence unit. */
    public void execute(String sql) {
        TestDatabase.execute(String.valueOf(properties.get("jakarta.persistence.jdbc.url")),
                String.valueOf(properties.getOrDefault("jakarta.persistence.jdbc.user", "sa")), sql);
    }

    /** Connection properties of a persistence unit on this database. */
    public Map<String, Object> properties() {
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
