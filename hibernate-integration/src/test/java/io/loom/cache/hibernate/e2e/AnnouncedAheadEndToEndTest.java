package io.loom.cache.hibernate.e2e;

import io.loom.cache.hibernate.e2e.ChannelWatcher.Message;
import io.loom.cache.hibernate.model.Book;
import io.loom.cache.testing.RedisTestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.loom.cache.hibernate.e2e.TwoNodes.rename;
import static io.loom.cache.hibernate.e2e.TwoNodes.title;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Leased commits announced before the statement of their only change runs (AheadAnnouncer): the
 * announcement is in Redis while the UPDATE is still to be executed, one announcement serves the
 * commit, and a transaction whose changes outgrow it, or that rolls back, withdraws it. Watches
 * the namespace's invalidation channel with a client of its own.
 */
class AnnouncedAheadEndToEndTest {

    private static final PausingInspector INSPECTOR = new PausingInspector();
    private static TwoNodes nodes;
    private static RedisTestNamespace namespace;
    private static ChannelWatcher watcher;

    @BeforeAll
    static void start() {
        namespace = RedisTestNamespace.create(AnnouncedAheadEndToEndTest.class);
        watcher = ChannelWatcher.watch(namespace.namespace(), RedisTestNamespace.newClient());
        nodes = TwoNodes.start(namespace.namespace(), Map.of("loom.cache.near-cache.mode", "leased",
                "hibernate.session_factory.statement_inspector", INSPECTOR));
    }

    @AfterAll
    static void stop() {
        nodes.close();
        watcher.close();
        namespace.close();
    }

    @BeforeEach
    void calm() {
        INSPECTOR.pauseOn = null;
    }

    @Test
    void singleChange_isInRedisBeforeItsStatementRuns() {
        long id = nodes.bookId(31);
        rename(nodes.a, id, "before");
        watcher.settled();
        int seen = watcher.count(Message::prepare);
        INSPECTOR.pauseOn = sql -> sql.startsWith("update book");
        INSPECTOR.waitFor = () -> watcher.count(Message::prepare) > seen;
        rename(nodes.a, id, "after");
        assertTrue(INSPECTOR.held, "the UPDATE ran while its announcement was already on the channel");
        assertEquals("after", title(nodes.b, id));
    }

    @Test
    void singleChange_oneAnnouncementServesTheCommit() {
        long id = nodes.bookId(32);
        rename(nodes.a, id, "v0");
        int start = watcher.settled();
        rename(nodes.a, id, "v1");
        Message bump = watcher.awaitFrom(start, message -> message.bump() && message.prepared() != 0);
        List<Message> before = watcher.from(start, bump);
        List<Message> prepares = before.stream().filter(Message::prepare).toList();
        assertEquals(1, prepares.size(), "announcements before the commit's bump: " + before);
        assertEquals(prepares.get(0).sequence(), bump.prepared(), "the bump completes the early announcement");
        assertEquals("v1", title(nodes.b, id));
    }

    @Test
    void changesBeyondTheEarlyAnnouncement_withdrawItAndAnnounceTheWhole() {
        long first = nodes.bookId(33);
        long second = nodes.bookId(34);
        rename(nodes.a, first, "one");
        rename(nodes.a, second, "two");
        assertEquals("one", title(nodes.b, first));
        assertEquals("two", title(nodes.b, second));
        int start = watcher.settled();
        nodes.a.emf().runInTransaction(em -> {
            em.find(Book.class, first).setTitle("one'");
            em.flush(); // announced ahead: the only change so far
            em.find(Book.class, second).setTitle("two'");
        });
        assertEquals("one'", title(nodes.b, first));
        assertEquals("two'", title(nodes.b, second));
        Message bump = watcher.awaitFrom(start, message -> message.bump() && message.prepared() != 0);
        List<Message> prepares = watcher.from(start, bump).stream().filter(Message::prepare)
                .sorted(java.util.Comparator.comparingInt(message -> message.tags().size())).toList();
        assertEquals(2, prepares.size(), "the early announcement and the whole commit's");
        Message early = prepares.get(0);
        Message whole = prepares.get(1);
        assertTrue(whole.tags().containsAll(early.tags()) && whole.tags().size() > early.tags().size(),
                "the second announcement covers both rows: " + prepares);
        assertEquals(whole.sequence(), bump.prepared(), "the bump completes the whole commit's announcement");
        watcher.awaitFrom(start, message -> message.lift() && message.prepared() == early.sequence());
    }

    @Test
    void twoChangesInOneFlush_areAnnouncedOnceBeforeCompletion() {
        long first = nodes.bookId(35);
        long second = nodes.bookId(36);
        rename(nodes.a, first, "x");
        int start = watcher.settled();
        nodes.a.emf().runInTransaction(em -> {
            em.find(Book.class, first).setTitle("x'");
            em.find(Book.class, second).setTitle("y'");
        });
        Message bump = watcher.awaitFrom(start, message -> message.bump() && message.prepared() != 0);
        List<Message> prepares = watcher.from(start, bump).stream().filter(Message::prepare).toList();
        assertEquals(1, prepares.size(), "no announcement ahead of a flush with two changes");
        assertEquals("x'", title(nodes.b, first));
        assertEquals("y'", title(nodes.b, second));
    }

    @Test
    void rolledBackAfterAnnouncingAhead_withdrawsIt() {
        long id = nodes.bookId(37);
        rename(nodes.a, id, "kept");
        assertEquals("kept", title(nodes.b, id));
        int start = watcher.settled();
        var em = nodes.a.emf().createEntityManager();
        try {
            em.getTransaction().begin();
            em.find(Book.class, id).setTitle("rolled back");
            em.flush();
            em.getTransaction().rollback();
        } finally {
            em.close();
        }
        Message prepare = watcher.awaitFrom(start, Message::prepare);
        watcher.awaitFrom(start, message -> message.lift() && message.prepared() == prepare.sequence());
        assertEquals("kept", title(nodes.b, id));
        assertEquals("kept", title(nodes.a, id));
    }
}
