package io.loom.cache.hibernate.model;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A private database for one test class over the {@code loom-test} persistence unit: a fresh
 * in-memory H2 database, or a uniquely named schema on the shared PostgreSQL (127.0.0.1:5432,
 * database {@code test}, user {@code postgres}) that {@link #close()} drops again.
 */
public final class TestDatabase implements AutoCloseable {

    public static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test";

    private final EntityManagerFactory emf;
    private final String pgSchema;

    private TestDatabase(EntityManagerFactory emf, String pgSchema) {
        this.emf = emf;
        this.pgSchema = pgSchema;
    }

    /** A fresh in-memory H2 database. */
    public static TestDatabase h2() {
        return h2(Map.of());
    }

    /**
     * A fresh in-memory H2 database, with extra persistence-unit properties (e.g. {@code loom.cache.*}).
     * When {@code extra} names a {@code jakarta.persistence.jdbc.url} that database is used instead
     * (a second node of one database; see {@link #sharedH2Url()}).
     */
    public static TestDatabase h2(Map<String, ?> extra) {
        Map<String, Object> props = new HashMap<>(extra);
        props.putIfAbsent("jakarta.persistence.jdbc.url", sharedH2Url());
        return new TestDatabase(Persistence.createEntityManagerFactory("loom-test", props), null);
    }

    /** A new uniquely named in-memory H2 URL that lives until the JVM exits (several units may open it). */
    public static String sharedH2Url() {
        return "jdbc:h2:mem:loom_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
    }

    /** A fresh schema {@code <prefix>_<random>} on the shared PostgreSQL. */
    public static TestDatabase postgres(String schemaPrefix) {
        return postgres(schemaPrefix, Map.of());
    }

    /** A fresh PostgreSQL schema, with extra persistence-unit properties. */
    public static TestDatabase postgres(String schemaPrefix, Map<String, ?> extra) {
        String schema = schemaPrefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        execute("CREATE SCHEMA " + schema);
        Map<String, Object> props = new HashMap<>(extra);
        props.put("jakarta.persistence.jdbc.url", PG_URL + "?currentSchema=" + schema);
        props.put("jakarta.persistence.jdbc.user", "postgres");
        props.put("jakarta.persistence.jdbc.password", "");
        props.put("hibernate.default_schema", schema);
        try {
            return new TestDatabase(Persistence.createEntityManagerFactory("loom-test", props), schema);
        } catch (RuntimeException e) {
            execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            throw e;
        }
    }

    public EntityManagerFactory emf() {
        return emf;
    }

    /** "h2" or "postgresql". */
    public String kind() {
        return pgSchema == null ? "h2" : "postgresql";
    }

    @Override
    public void close() {
        try {
            emf.close();
        } finally {
            if (pgSchema != null) {
                execute("DROP SCHEMA IF EXISTS " + pgSchema + " CASCADE");
            }
        }
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(PG_URL, "postgres", "");
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + PG_URL + " failed: " + sql, e);
        }
    }
}
