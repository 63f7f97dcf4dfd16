package io.loom.cache.hibernate.reliability;

import io.loom.cache.hibernate.LoomHibernate;
import io.loom.cache.hibernate.OutboxStatus;
import io.loom.cache.hibernate.model.Book;
import io.loom.cache.hibernate.model.LibrarySeed;
import io.loom.cache.hibernate.model.TestDatabase;
import io.loom.cache.hibernate.model.Views.BookCreate;
import io.loom.cache.hibernate.model.Views.BookUpdate;
import io.loom.cache.hibernate.model.Views.BookView;
import io.loom.cache.hibernate.repository.JpaEntityRepository;
import io.loom.cache.repository.Repository;
import io.loom.cache.testing.Await;
import io.loom.cache.stats.CacheStats;
import io.loom.cache.testing.RedisServerProcess;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The durable outbox: two nodes share one database and one Redis (owned by the test). Node A is
 * cut off from Redis (its ACL user disabled), commits an update whose bump cannot be delivered,
 * and dies. Node B, which cached the old row, stops serving it once its outbox sweep replayed A's
 * row.
 */
class OutboxCrashTest {

    private static final String REPLAY_AFTER = "1500ms";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<EntityManagerFactory> nodes = new ArrayList<>();
    private final String databaseUrl = TestDatabase.sharedH2Url();
    private RedisServerProcess redis;

    @AfterEach
    void stop() {
        nodes.forEach(emf -> {
            if (emf.isOpen()) {
                emf.close();
            }
        });
        if (redis != null) {
            redis.close();
        }
    }

    private EntityManagerFactory node(boolean createSchema, Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>();
        props.put("jakarta.persistence.jdbc.url", databaseUrl); // every node on one database
        props.put("jakarta.persistence.schema-generation.database.action", createSchema ? "drop-and-create" : "none");
        props.put("loom.cache.backends.default.type", "redis");
        props.put("loom.cache.backends.default.serializer", "msgpack");
        props.put("loom.cache.backends.default.address", redis.address());
        props.put("loom.cache.backends.default.namespace", "crash");
        props.put("loom.cache.backends.default.timeout", "300");
        props.put("loom.cache.backends.default.retry-attempts", "0");
        props.put("loom.hibernate.outbox.replay-after", REPLAY_AFTER);
        props.put("loom.hibernate.outbox.sweep-every", "100ms");
        props.putAll(extra);
        EntityManagerFactory emf = TestDatabase.h2(props).emf();
        nodes.add(emf);
        return emf;
    }

    private static Repository<BookView, BookCreate, BookUpdate, Long> books(EntityManagerFactory emf) {
        return LoomHibernate.wrap(emf, JpaEntityRepository.builder(emf, Book.class, BookView.class,
                BookCreate.class, BookUpdate.class, Long.class).build());
    }

    private static OutboxStatus outbox(EntityManagerFactory emf) {
        return LoomHibernate.outbox(emf).orElseThrow();
    }

    @Test
    void nodeDiesBetweenCommitAndBump_otherNodeStopsServingOldEntryAfterReplay() {
        redis = RedisServerProcess.start();
        redis.command("ACL", "SETUSER", "nodea", "on", ">secret-a", "~*", "&*", "+@all");
        EntityManagerFactory nodeA = node(true, Map.of(
                "loom.cache.backends.default.username", "nodea",
                "loom.cache.backends.default.password", "secret-a"));
        LibrarySeed.Ids ids = LibrarySeed.seed(nodeA);
        // The seed's row was delivered; the next sweep deletes it.
        Await.until(() -> outbox(nodeA).rows() == 0, WAIT, "the seed's delivered row deleted");
        EntityManagerFactory nodeB = node(false, Map.of());
        Repository<BookView, BookCreate, BookUpdate, Long> booksA = books(nodeA);
        Repository<BookView, BookCreate, BookUpdate, Long> booksB = books(nodeB);
        long id = ids.books().get(3);

        String oldTitle = booksB.getById(id).orElseThrow().title();
        assertEquals(oldTitle, booksA.getById(id).orElseThrow().title());
        CacheStats warm = LoomHibernate.cache(nodeB).stats("book");

        // Node A loses Redis, commits, and its bump stays undelivered.
        redis.command("ACL", "SETUSER", "nodea", "off", "-@all");
        redis.command("CLIENT", "KILL", "USER", "nodea");
        nodeA.runInTransaction(em -> em.find(Book.class, id).setTitle("Committed by a dying node"));
        assertEquals(1, LoomHibernate.cache(nodeA).pendingInvalidations());
        assertEquals(1, outbox(nodeA).rows());

        // Without the outbox this entry would be served until its TTL.
        assertEquals(oldTitle, booksB.getById(id).orElseThrow().title());
        nodeA.close(); // the process dies: nothing more is delivered by it

        Await.until(() -> outbox(nodeB).rows() == 0, WAIT, "node B replayed node A's outbox row");
        assertEquals("Committed by a dying node", booksB.getById(id).orElseThrow().title());
        CacheStats step = LoomHibernate.cache(nodeB).stats("book").minus(warm);
        assertEquals(1, step.hits(), "the one read before the replay");
        assertEquals(1, step.staleMisses(), "the read after the replay found the entry invalidated");
    }

    /**
     * The leased near cache records the commit with its announcement instead of an outbox row.
     * Node A may still reach the membership, sequence and record keys (every key holding '~') but
     * no counter: its announcement is recorded, its bump fails, and it dies. Node B bumps the
     * record once A's lease is gone and the record is due.
     */
    @Test
    void leasedNodeDiesBetweenCommitAndBump_otherNodeReplaysItsRecordedAnnouncement() {
        redis = RedisServerProcess.start();
        redis.command("ACL", "SETUSER", "nodea", "on", ">secret-a", "~*", "&*", "+@all");
        Map<String, Object> leased = Map.of("loom.cache.near-cache.mode", "leased");
        Map<String, Object> asNodeA = new HashMap<>(leased);
        asNodeA.put("loom.cache.backends.default.username", "nodea");
        asNodeA.put("loom.cache.backends.default.password", "secret-a");
        EntityManagerFactory nodeA = node(true, asNodeA);
        LibrarySeed.Ids ids = LibrarySeed.seed(nodeA);
        EntityManagerFactory nodeB = node(false, leased);
        Repository<BookView, BookCreate, BookUpdate, Long> booksB = books(nodeB);
        long id = ids.books().get(3);
        String oldTitle = booksB.getById(id).orElseThrow().title();
        Await.until(() -> outbox(nodeA).rows() == 0, WAIT, "the seed's delivered row deleted");
        CacheStats warm = LoomHibernate.cache(nodeB).stats("book");

        // Node A keeps the keys of the near-cache channel and loses the counters.
        redis.command("ACL", "SETUSER", "nodea", "resetkeys", "~*~*");
        nodeA.runInTransaction(em -> em.find(Book.class, id).setTitle("Committed by a dying node"));
        assertEquals(1, LoomHibernate.cache(nodeA).pendingInvalidations());
        assertEquals(0, outbox(nodeA).rows(), "the announcement recorded the commit: no outbox row");

        assertEquals(oldTitle, booksB.getById(id).orElseThrow().title());
        nodeA.close(); // the process dies: nothing more is delivered by it, and its lease ends

        Await.until(() -> "Committed by a dying node".equals(booksB.getById(id).orElseThrow().title()), WAIT,
                "node B never replayed node A's recorded announcement");
        CacheStats step = LoomHibernate.cache(nodeB).stats("book").minus(warm);
        assertTrue(step.staleMisses() >= 1, "the read after the replay found the entry invalidated");
    }

    @Test
    void committedWrite_outboxRowDeletedAfterDelivery_rollbackWritesNoRow() {
        redis = RedisServerProcess.start();
        EntityManagerFactory emf = node(true, Map.of("loom.hibernate.outbox.replay-after", "60s"));
        LibrarySeed.Ids ids = LibrarySeed.seed(emf);
        Await.until(() -> outbox(emf).rows() == 0, WAIT, "the seed's row deleted after delivery");

        EntityManager em = emf.createEntityManager();
        try {
            em.getTransaction().begin();
            em.find(Book.class, ids.books().get(0)).setTitle("rolled back");
            em.flush();
            em.getTransaction().rollback();
        } finally {
            em.close();
        }
        assertEquals(0, outbox(emf).rows());

        emf.runInTransaction(tx -> tx.find(Book.class, ids.books().get(0)).setTitle("committed"));
        Await.until(() -> LoomHibernate.cache(emf).pendingInvalidations() == 0, WAIT, "the bump delivered");
        Await.until(() -> outbox(emf).rows() == 0, WAIT, "the delivered row deleted by the sweep");
    }

    @Test
    void outboxOff_byProperty_noTable() {
        redis = RedisServerProcess.start();
        EntityManagerFactory emf = node(true, Map.of("loom.hibernate.outbox", "false"));
        assertTrue(LoomHibernate.outbox(emf).isEmpty());
        LibrarySeed.seed(emf);
        Await.until(() -> LoomHibernate.cache(emf).pendingInvalidations() == 0, WAIT, "the seed's bump delivered");
    }
}
