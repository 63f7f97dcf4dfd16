package io.loom.cache.hibernate.outbox;

import io.loom.cache.config.CacheConfigException;
import io.loom.cache.hibernate.LoomHibernate;
import io.loom.cache.hibernate.LoomHibernateSettings;
import io.loom.cache.hibernate.OutboxStatus;
import io.loom.cache.hibernate.e2e.LoomTestUnit;
import io.loom.cache.hibernate.internal.InvalidationOutbox;
import io.loom.cache.hibernate.model.PrivateDatabase;
import io.loom.cache.hibernate.model.Publisher;
import io.loom.cache.hibernate.model.TestDatabase;
import io.loom.cache.invalidation.Invalidation;
import io.loom.cache.testing.RedisTestNamespace;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import org.hibernate.Session;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The outbox table on every supported database: created with the Dialect's column types (a long
 * invalidation text fits on MariaDB too), rows deleted once delivered, and a unit whose outbox is
 * on but cannot get its table does not start.
 */
class OutboxTableTest {

    private static RedisTestNamespace namespace;

    @BeforeAll
    static void namespace() {
        namespace = RedisTestNamespace.create(OutboxTableTest.class);
    }

    @AfterAll
    static void cleanup() {
        namespace.close();
    }

    private static Map<String, Object> redis(String table) {
        Map<String, Object> props = new HashMap<>(LoomTestUnit.redisProperties(namespace.namespace()));
        props.put(LoomHibernateSettings.OUTBOX_SWEEP_EVERY, "3600s"); // the test sweeps by itself
        if (table != null) {
            props.put(LoomHibernateSettings.OUTBOX_TABLE, table);
        }
        return props;
    }

    private static TestDatabase open(TestDatabase.Kind kind, Map<String, Object> props) {
        return switch (kind) {
            case H2 -> TestDatabase.h2(props);
            case POSTGRESQL -> TestDatabase.postgres("loom_outbox", props);
            case MARIADB -> TestDatabase.mariadb("loom_outbox", props);
        };
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void auto_onRedis_tableHoldsEachCommitUntilDeliveredRowsAreSwept(TestDatabase.Kind kind) {
        try (TestDatabase database = open(kind, redis(null))) {
            InvalidationOutbox outbox = LoomTestUnit.outboxOf(database.emf());
            outbox.sweep();
            assertEquals(0, outbox.size());

            database.emf().runInTransaction(em -> em.persist(new Publisher("Outbox " + kind, "NO")));
            assertEquals(1, outbox.size());
            OutboxStatus status = LoomHibernate.outbox(database.emf()).orElseThrow();
            assertEquals(1, status.rows());
            assertTrue(status.table().endsWith(LoomHibernateSettings.DEFAULT_OUTBOX_TABLE), status.table());

            outbox.sweep();
            assertEquals(0, outbox.size());
        }
    }

    /*
     * Every node runs the replay query each sweep; the table churns (a row in and out per commit),
     * so without an index that query reads every row version the table still holds.
     */
    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void table_hasAnIndexServingTheReplayQuery(TestDatabase.Kind kind) {
        try (TestDatabase database = open(kind, redis(null))) {
            assertEquals(List.of("namespace", "created_at"), replayIndexColumns(database.emf()));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void longInvalidationText_isStoredVerbatim(TestDatabase.Kind kind) {
        try (TestDatabase database = open(kind, redis(null))) {
            InvalidationOutbox outbox = LoomTestUnit.outboxOf(database.emf());
            Set<String> tags = new LinkedHashSet<>();
            for (int i = 0; tags.size() < 3_000; i++) {
                tags.add("v:book:title:" + "x".repeat(10) + i);
            }
            Invalidation invalidation = new Invalidation(Set.of("e:book"), tags);
            String encoded = invalidation.encode();
            assertTrue(encoded.length() > 65_535, "longer than a MariaDB TEXT: " + encoded.length());

            AtomicReference<String> id = new AtomicReference<>();
            database.emf().runInTransaction(em ->
                    id.set(outbox.write(em.unwrap(SharedSessionContractImplementor.class), invalidation)));

            String stored = database.emf().callInTransaction(em -> em.unwrap(Session.class).doReturningWork(c -> {
                try (PreparedStatement select = c.prepareStatement(
                        "select invalidation from " + LoomHibernateSettings.DEFAULT_OUTBOX_TABLE + " where id = ?")) {
                    select.setString(1, id.get());
                    try (ResultSet rows = select.executeQuery()) {
                        assertTrue(rows.next());
                        return rows.getString(1);
                    }
                }
            }));
            assertEquals(encoded, stored);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void tableOfAnEarlierVersion_gainsTheNamespaceColumn_itsRowsStillReplayed(TestDatabase.Kind kind) {
        String table = LoomHibernateSettings.DEFAULT_OUTBOX_TABLE;
        try (PrivateDatabase database = PrivateDatabase.create(kind, "loom_outbox_upgrade")) {
            // An earlier version's table, with one undelivered row.
            database.execute("create table " + table + " (id varchar(36) primary key,"
                    + " created_at bigint not null, invalidation varchar(1000) not null)");
            database.execute("insert into " + table + " (id, created_at, invalidation) values ('old-row', 0, '"
                    + new Invalidation(Set.of("e:book"), Set.of()).encode() + "')");
            Map<String, Object> props = database.properties();
            props.putAll(redis(null));
            props.put(LoomHibernateSettings.OUTBOX_REPLAY_AFTER, "1ms");
            try (EntityManagerFactory upgraded = Persistence.createEntityManagerFactory("loom-test", props)) {
                InvalidationOutbox outbox = LoomTestUnit.outboxOf(upgraded);
                outbox.sweep();
                assertEquals(0L, (long) upgraded.callInTransaction(em -> em.createNativeQuery(
                        "select count(*) from " + table, Long.class).getSingleResult()), "the old row was replayed");
                upgraded.runInTransaction(em -> em.persist(new Publisher("After the upgrade", "NO")));
                assertEquals(1, outbox.size());
                assertEquals(List.of("namespace", "created_at"), replayIndexColumns(upgraded), "index added");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void auto_tableCannotBeCreated_startUpFailsNamingTheSetting(TestDatabase.Kind kind) {
        RuntimeException failure = assertThrows(RuntimeException.class,
                () -> open(kind, redis("no_such_schema_loom.outbox")).close());
        CacheConfigException config = causeOf(failure);
        assertEquals(LoomHibernateSettings.OUTBOX, config.key());
        assertTrue(config.getMessage().contains("loom.hibernate.outbox=false"), config.getMessage());
        assertTrue(config.getMessage().contains("no_such_schema_loom.outbox"), config.getMessage());
    }

    @Test
    void explicitFalse_tableCannotBeCreated_runsWithoutOutbox() {
        Map<String, Object> props = redis("no_such_schema_loom.outbox");
        props.put(LoomHibernateSettings.OUTBOX, "false");
        try (TestDatabase database = TestDatabase.h2(props)) {
            assertTrue(LoomHibernate.outbox(database.emf()).isEmpty());
            database.emf().runInTransaction(em -> em.persist(new Publisher("No outbox", "NO")));
        }
    }

    @Test
    void tableDroppedWhileRunning_writeStillCommitsAndInvalidates_failureCounted() {
        try (TestDatabase database = TestDatabase.h2(redis(null))) {
            long before = LoomHibernate.cache(database.emf()).stats().bumps();
            database.emf().runInTransaction(em -> em.unwrap(Session.class).doWork(c -> {
                try (var statement = c.createStatement()) {
                    statement.execute("drop table " + LoomHibernateSettings.DEFAULT_OUTBOX_TABLE);
                }
            }));
            long failures = LoomHibernate.listenerFailures(database.emf());

            Publisher written = new Publisher("Written without its outbox row", "NO");
            database.emf().runInTransaction(em -> em.persist(written));

            assertEquals(failures + 1, LoomHibernate.listenerFailures(database.emf()));
            assertEquals("Written without its outbox row", database.emf().callInTransaction(em ->
                    em.find(Publisher.class, written.getId()).getName()));
            assertEquals(before + 1, LoomHibernate.cache(database.emf()).stats().bumps(), "the commit was bumped");
        }
    }

    /** The leading columns of the outbox table's index that starts with the namespace, or none. */
    private static List<String> replayIndexColumns(EntityManagerFactory emf) {
        return emf.callInTransaction(em -> em.unwrap(Session.class).doReturningWork(connection -> {
            DatabaseMetaData metadata = connection.getMetaData();
            Map<String, TreeMap<Short, String>> indexes = new TreeMap<>();
            for (String table : List.of(LoomHibernateSettings.DEFAULT_OUTBOX_TABLE,
                    LoomHibernateSettings.DEFAULT_OUTBOX_TABLE.toUpperCase(Locale.ROOT))) {
                try (ResultSet rows = metadata.getIndexInfo(connection.getCatalog(), connection.getSchema(), table,
                        false, false)) {
                    while (rows.next()) {
                        if (rows.getString("COLUMN_NAME") != null) {
                            indexes.computeIfAbsent(rows.getString("INDEX_NAME"), name -> new TreeMap<>())
                                    .put(rows.getShort("ORDINAL_POSITION"),
                                            rows.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                        }
                    }
                }
            }
            return indexes.values().stream().map(columns -> List.copyOf(columns.values()))
                    .filter(columns -> columns.get(0).equals("namespace")).findFirst().orElse(List.of());
        }));
    }

    private static CacheConfigException causeOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CacheConfigException config) {
                return config;
            }
        }
        fail("no CacheConfigException in " + failure);
        return null;
    }
}
