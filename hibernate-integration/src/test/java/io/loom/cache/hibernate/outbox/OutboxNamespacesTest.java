package io.loom.cache.hibernate.outbox;

import io.loom.cache.hibernate.LoomHibernateSettings;
import io.loom.cache.hibernate.e2e.LoomTestUnit;
import io.loom.cache.hibernate.internal.InvalidationOutbox;
import io.loom.cache.hibernate.model.Book;
import io.loom.cache.hibernate.model.TestDatabase;
import io.loom.cache.invalidation.CommittedChanges;
import io.loom.cache.invalidation.MutationEvent;
import io.loom.cache.stats.CacheStats;
import io.loom.cache.testing.RedisTestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two deployments (two cache namespaces) on one database share one outbox table: each replays and
 * deletes only its own rows, and a clean shutdown deletes the rows a node delivered.
 */
class OutboxNamespacesTest {

    private static final String TABLE = LoomHibernateSettings.DEFAULT_OUTBOX_TABLE;

    private final String url = TestDatabase.sharedH2Url();
    private RedisTestNamespace redis;
    private LoomTestUnit first;
    private LoomTestUnit second;

    @BeforeEach
    void start() {
        redis = RedisTestNamespace.create(OutboxNamespacesTest.class);
        Map<String, Object> props = Map.of("jakarta.persistence.jdbc.url", url,
                LoomHibernateSettings.OUTBOX_SWEEP_EVERY, "3600s", // the test sweeps by itself
                LoomHibernateSettings.OUTBOX_REPLAY_AFTER, "1ms");
        first = LoomTestUnit.h2OnRedis(redis.child("first"), props, true);
        Map<String, Object> again = new java.util.HashMap<>(props);
        again.put("jakarta.persistence.schema-generation.database.action", "none");
        second = LoomTestUnit.h2OnRedis(redis.child("second"), again, false);
        outbox(first).sweep();
    }

    @AfterEach
    void stop() {
        try {
            second.close();
            first.close();
        } finally {
            redis.close();
        }
    }

    private static InvalidationOutbox outbox(LoomTestUnit unit) {
        return LoomTestUnit.outboxOf(unit.emf());
    }

    @Test
    void sweep_replaysAndDeletesOnlyRowsOfItsOwnNamespace() throws SQLException {
        long id = first.bookId(0);
        second.books.getById(id);
        second.books.getById(id);
        // An undelivered row of the second deployment, as its node would leave it when it died.
        MutationEvent update = MutationEvent.update("book", id, Set.of(), Map.of(), Map.of());
        insertRow(redis.child("second"), second.cache().resolve(CommittedChanges.of(List.of(update))).encode());

        assertEquals(0, outbox(first).sweep());
        assertEquals(1, rows(redis.child("second")));
        CacheStats before = second.stats("book");
        second.books.getById(id);
        assertEquals(1, second.stats("book").minus(before).hits(), "the first deployment replayed nothing of it");

        assertEquals(1, outbox(second).sweep());
        assertEquals(0, rows(redis.child("second")));
        CacheStats replayed = second.stats("book");
        second.books.getById(id);
        assertEquals(1, second.stats("book").minus(replayed).staleMisses());
    }

    @Test
    void close_deletesTheRowsItDelivered_leavesTheOtherNamespace() throws SQLException {
        insertRow(redis.child("second"), "undelivered");
        first.emf().runInTransaction(em -> em.find(Book.class, first.bookId(1)).setTitle("Delivered, then closed"));
        assertEquals(1, rows(redis.child("first")));

        first.emf().close();

        assertEquals(0, rows(redis.child("first")));
        assertEquals(1, rows(redis.child("second")));
    }

    private void insertRow(String namespace, String invalidation) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             PreparedStatement insert = c.prepareStatement("insert into " + TABLE
                     + " (id, namespace, created_at, invalidation) values (?, ?, ?, ?)")) {
            insert.setString(1, UUID.randomUUID().toString());
            insert.setString(2, namespace);
            insert.setLong(3, 0);
            insert.setString(4, invalidation);
            insert.executeUpdate();
        }
    }

    private int rows(String namespace) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             PreparedStatement count = c.prepareStatement("select count(*) from " + TABLE + " where namespace = ?")) {
            count.setString(1, namespace);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
