package io.loom.cache.hibernate.e2e;

import io.loom.cache.hibernate.model.Book;
import io.loom.cache.testing.Await;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.engine.spi.TransactionCompletionCallbacks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.loom.cache.hibernate.e2e.TwoNodes.rename;
import static io.loom.cache.hibernate.e2e.TwoNodes.title;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Two nodes with {@code near-cache.mode=leased} through the integrator: every commit is announced
 * before the database commits, and a read that starts on the other node after {@code commit()}
 * returned sees it; a transaction that rolls back after its announcement changes nothing either
 * node reads.
 */
class LeasedNearCacheEndToEndTest {

    private static TwoNodes nodes;

    @BeforeAll
    static void start() {
        // Delivered outbox rows would stay a minute: the test below sees whether any was written.
        nodes = TwoNodes.start(LeasedNearCacheEndToEndTest.class, Map.of("loom.cache.near-cache.mode", "leased",
                "loom.hibernate.outbox.sweep-every", "60s"));
    }

    @AfterAll
    static void stop() {
        nodes.close();
    }

    @Test
    void readOnTheOtherNodeRightAfterACommitReturned_seesIt() {
        long id = nodes.bookId(21);
        rename(nodes.a, id, "v0");
        title(nodes.a, id);
        title(nodes.b, id);
        for (int version = 1; version <= 200; version++) {
            LoomTestUnit writer = version % 2 == 0 ? nodes.a : nodes.b;
            LoomTestUnit other = writer == nodes.a ? nodes.b : nodes.a;
            rename(writer, id, "v" + version);
            assertEquals("v" + version, title(other, id), "the other node's read after the returned commit");
            assertEquals("v" + version, title(writer, id), "the committing node reads its own write");
            assertEquals("v" + version, title(other, id));
        }
        // Right after a commit the other node validates by round trip until the bump's message lifts
        // the block of the commit's announcement; then its hits are local again, well before the
        // block would have ended by itself (one lease, 1 s).
        Await.until(() -> {
            long before = nodes.b.stats("book").nearHits();
            title(nodes.b, id);
            return nodes.b.stats("book").nearHits() - before == 1;
        }, Duration.ofMillis(500), "node B never served v200 from its near cache");
        long before = nodes.b.stats("book").nearHits();
        for (int i = 0; i < 10; i++) {
            assertEquals("v200", title(nodes.b, id));
        }
        assertEquals(10, nodes.b.stats("book").nearHits() - before, "node B served hits from its near cache");
    }

    @Test
    void commits_areRecordedInRedisByTheirAnnouncement_withoutAnOutboxRow() {
        long id = nodes.bookId(23);
        for (int version = 1; version <= 5; version++) {
            rename(version % 2 == 0 ? nodes.a : nodes.b, id, "r" + version);
            assertEquals("r" + version, title(version % 2 == 0 ? nodes.b : nodes.a, id));
        }
        assertEquals(0, LoomTestUnit.outboxOf(nodes.a.emf()).size(),
                "a commit whose announcement Redis recorded writes no outbox row");
    }

    @Test
    void rolledBackAfterItsAnnouncement_bothNodesKeepReadingTheCommittedValue() {
        long id = nodes.bookId(22);
        rename(nodes.a, id, "kept");
        assertEquals("kept", title(nodes.b, id));
        assertEquals("kept", title(nodes.a, id));
        var em = nodes.a.emf().createEntityManager();
        try {
            em.getTransaction().begin();
            em.find(Book.class, id).setTitle("rolled back");
            em.flush();
            // Fails after Loom's before-completion step announced the change: the commit rolls back.
            em.unwrap(SharedSessionContractImplementor.class).getTransactionCompletionCallbacks().registerCallback(
                    (TransactionCompletionCallbacks.BeforeCompletionCallback) session -> {
                        throw new IllegalStateException("refused before completion");
                    });
            assertThrows(RuntimeException.class, () -> em.getTransaction().commit());
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
        assertEquals("kept", title(nodes.b, id));
        assertEquals("kept", title(nodes.a, id));
        rename(nodes.b, id, "after");
        assertEquals("after", title(nodes.a, id));
    }
}
