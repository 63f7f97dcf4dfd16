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
 * in-memory H2 database, a uniquely named schema on the shared PostgreSQL (127.0.0.1:5432,
 * database {@code test}, user {@code postgres}), or a uniquely named database on the shared
 * MariaDB (127.0.0.1:3306, user {@code root}, empty password), which {@link #close()} drops again.
 */
public final class TestDatabase implements AutoCloseable {

    /** The persistence unit of the library model; the {@code unit} overloads open another one. */
    public static final String UNIT = "loom-test";

    public static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    /** The shared MariaDB server; plain TCP, as the local server offers no TLS. */
    public static final String MARIADB_URL = "jdbc:mariadb://127.0.0.1:3306/?sslMode=disable";

    /** The database server a {@link TestDatabase} lives on. */
    public enum Kind { H2, POSTGRESQL, MARIADB }

    private final EntityManagerFactory emf;
    private final Kind kind;
    /** The private PostgreSQL schema or MariaDB database, null on H2. */
    private final String privateName;

    private TestDatabase(EntityManagerFactory emf, Kind kind, String privateName) {
        this.emf = emf;
        this.kind = kind;
        this.privateName = privateName;
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
        return h2(UNIT, extra);
    }

    /** {@link #h2(Map)} over the persistence unit {@code unit}. */
    public static TestDatabase h2(String unit, Map<String, ?> extra) {
        Map<String, Object> props = new HashMap<>(extra);
        props.putIfAbsent("jakarta.persistence.jdbc.url", sharedH2Url());
        return new TestDatabase(Persistence.createEntityManagerFactory(unit, props), Kind.H2, null);
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
        return postgres(UNIT, schemaPrefix, extra);
    }

    /** {@link #postgres(String, Map)} over the persistence unit {@code unit}. */
    public static TestDatabase postgres(String unit, String schemaPrefix, Map<String, ?> extra) {
        String schema = privateName(schemaPrefix);
        executePostgres("CREATE SCHEMA " + schema);
        Map<String, Object> props = new HashMap<>(extra);
        props.put("jakarta.persistence.jdbc.url", PG_URL + "?currentSchema=" + schema);
        props.put("jakarta.persistence.jdbc.user", "postgres");
        props.put("hibernate.default_schema", schema);
        return open(unit, props, Kind.POSTGRESQL, schema);
    }

    /** A fresh database {@code <prefix>_<random>} on the shared MariaDB. */
    public static TestDatabase mariadb(String prefix) {
        return mariadb(prefix, Map.of());
    }

    /** A fresh MariaDB database, with extra persistence-unit properties. */
    public static TestDatabase mariadb(String prefix, Map<String, ?> extra) {
        return mariadb(UNIT, prefix, extra);
    }

    /** {@link #mariadb(String, Map)} over the persistence unit {@code unit}. */
    public static TestDatabase mariadb(String unit, String prefix, Map<String, ?> extra) {
        String database = privateName(prefix);
        executeMariadb("CREATE DATABASE " + database);
        Map<String, Object> props = new HashMap<>(extra);
        props.put("jakarta.persistence.jdbc.url", mariadbUrl(database));
        props.put("jakarta.persistence.jdbc.user", "root");
        return open(unit, props, Kind.MARIADB, database);
    }

    /** Opens {@code unit} on a private schema or database just created, dropping it again if that fails. */
    private static TestDatabase open(String unit, Map<String, Object> props, Kind kind, String privateName) {
        props.put("jakarta.persistence.jdbc.password", "");
        try {
            return new TestDatabase(Persistence.createEntityManagerFactory(unit, props), kind, privateName);
        } catch (RuntimeException e) {
            drop(kind, privateName);
            throw e;
        }
    }

    /** The JDBC URL of {@code database} on the shared MariaDB. */
    public static String mariadbUrl(String database) {
        return "jdbc:mariadb://127.0.0.1:3306/" + database + "?sslMode=disable";
    }

    private static String privateName(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    public EntityManagerFactory emf() {
        return emf;
    }

    /** "h2", "postgresql" or "mariadb". */
    public String kind() {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The server this database lives on. */
    public Kind server() {
        return kind;
    }

    @Override
    public void close() {
        try {
            emf.close();
        } finally {
            drop(kind, privateName);
        }
    }

    private static void drop(Kind kind, String privateName) {
        switch (kind) {
            case POSTGRESQL -> executePostgres("DROP SCHEMA IF EXISTS " + privateName + " CASCADE");
            case MARIADB -> executeMariadb("DROP DATABASE IF EXISTS " + privateName);
            case H2 -> { }
        }
    }

    private static void executePostgres(String sql) {
        execute(PG_URL, "postgres", sql);
    }

    private static void executeMariadb(String sql) {
        execute(MARIADB_URL, "root", sql);
    }

    /** Runs one administrative statement (empty password) on the server at {@code url}. */
    public static void execute(String url, String user, String sql) {
        try (Connection c = DriverManager.getConnection(url, user, "");
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Database at " + url + " failed: " + sql, e);
        }
    }
}
