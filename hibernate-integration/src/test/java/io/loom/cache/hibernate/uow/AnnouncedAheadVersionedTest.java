package io.loom.cache.hibernate.uow;

import io.loom.cache.hibernate.e2e.ChannelWatcher;
import io.loom.cache.hibernate.e2e.ChannelWatcher.Message;
import io.loom.cache.hibernate.e2e.PausingInspector;
import io.loom.cache.hibernate.model.TestDatabase;
import io.loom.cache.testing.RedisTestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Announcements sent ahead of the statement (leased mode) for a versioned entity, whose pre-event
 * state already holds the new version, and for an insert with an assigned id: each commit is
 * announced once, before its statement runs, and that announcement is the one its bump completes.
 */
class AnnouncedAheadVersionedTest {

    private static final RedisTestNamespace NS = RedisTestNamespace.create(AnnouncedAheadVersionedTest.class);
    private static final PausingInspector INSPECTOR = new PausingInspector();
    private static UowNode a;
    private static UowNode b;
    private static ChannelWatcher watcher;

    @BeforeAll
    static void start() {
        watcher = ChannelWatcher.watch(NS.namespace(), RedisTestNamespace.newClient());
        String url = TestDatabase.sharedH2Url();
        Map<String, Object> leased = Map.of("loom.cache.near-cache.mode", "leased",
                "hibernate.session_factory.statement_inspector", INSPECTOR);
        a = UowNode.h2(NS.namespace(), url, true, leased);
        b = UowNode.h2(NS.namespace(), url, false, leased);
    }

    @AfterAll
    static void stop() throws Exception {
        try (ChannelWatcher channel = watcher; RedisTestNamespace namespace = NS; UowNode first = a; UowNode second = b) {
            // closed in reverse order: node B, node A, the namespace, the watcher
        }
    }

    @Test
    void versionedUpdate_isAnnouncedOnceBeforeItsStatement() {
        Long id = a.write(em -> {
            Customer customer = new Customer("Ada", new Address("1 Main St", "Turin"));
            em.persist(customer);
            return customer.getId();
        });
        assertCommitAnnouncedAheadOnce("update customer", () -> a.write(em -> {
            em.find(Customer.class, id).setName("Ada L.");
            return null;
        }));
        assertEquals("Ada L.", b.write(em -> em.find(Customer.class, id).getName()));
    }

    @Test
    void insertWithAnAssignedId_isAnnouncedOnceBeforeItsStatement() {
        assertCommitAnnouncedAheadOnce("insert into warehouse", () -> a.write(em -> {
            em.persist(new Warehouse("W-ahead", "Lyon"));
            return null;
        }));
    }

    private static void assertCommitAnnouncedAheadOnce(String statement, Runnable commit) {
        int start = watcher.settled();
        int seen = watcher.count(Message::prepare);
        INSPECTOR.held = false;
        INSPECTOR.waitFor = () -> watcher.count(Message::prepare) > seen;
        INSPECTOR.pauseOn = sql -> sql.startsWith(statement);
        commit.run();
        assertTrue(INSPECTOR.held, "the statement ran while its announcement was already on the channel");
        Message bump = watcher.awaitFrom(start, message -> message.bump() && message.prepared() != 0);
        List<Message> prepares = watcher.from(start, bump).stream().filter(Message::prepare).toList();
        assertEquals(1, prepares.size(), "announcements before the commit's bump: " + prepares);
        assertEquals(prepares.get(0).sequence(), bump.prepared(), "the bump completes the early announcement");
    }
}
