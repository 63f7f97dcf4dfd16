package io.loom.cache.hibernate.e2e;

import io.loom.cache.hibernate.model.Book;
import io.loom.cache.hibernate.model.Views.BookView;
import io.loom.cache.repository.QuerySpec;
import io.loom.cache.stats.CacheStats;
import io.loom.cache.testing.RedisTestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Linearizability checker for cached reads on two nodes. Writers commit versioned titles
 * ("v&lt;version&gt;", one increasing version per row) through plain EntityManagers of either node
 * and record a version in {@code committed} only after commit() returned. Readers on both nodes
 * note the committed versions before each read (getById or a list over the hot rows) and check
 * that what they read is that version or newer: a cached value older than a commit that returned
 * before the read started is a stale read.
 */
class StaleReadCheckerTest {

    private static final int HOT_ROWS = 4;
    private static final int WRITERS = 2;
    private static final int READERS_PER_NODE = 2;
    /** The run ends when this many operations are done, however long that takes (no throughput is asserted). */
    private static final long TARGET_OPERATIONS = 20_000;
    private static final String HOT_GENRE = "hot";

    private static RedisTestNamespace namespace;
    private static TwoNodes nodes;

    @BeforeAll
    static void start() {
        namespace = RedisTestNamespace.create(StaleReadCheckerTest.class);
        nodes = TwoNodes.start(namespace.namespace());
    }

    @AfterAll
    static void stop() {
        nodes.close();
        namespace.close();
    }

    private static long versionOf(BookView book) {
        return Long.parseLong(book.title().substring(1));
    }

    @Test
    void concurrentWritersAndReadersOnTwoNodes_neverReadAVersionOlderThanOneCommittedBeforeTheReadStarted()
            throws InterruptedException {
        long[] rows = new long[HOT_ROWS];
        for (int i = 0; i < HOT_ROWS; i++) {
            rows[i] = nodes.bookId(10 + i);
        }
        nodes.a.emf().runInTransaction(em -> {
            for (long id : rows) {
                Book book = em.find(Book.class, id);
                book.setTitle("v0");
                book.setGenre(HOT_GENRE);
            }
        });
        AtomicLongArray committed = new AtomicLongArray(HOT_ROWS);
        QuerySpec hotList = QuerySpec.where("genre").eq(HOT_GENRE).orderBy("id").page(1, HOT_ROWS);

        AtomicBoolean done = new AtomicBoolean();
        AtomicLong operations = new AtomicLong();
        AtomicLong writes = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        AtomicLong listReads = new AtomicLong();
        AtomicLong stale = new AtomicLong();
        ConcurrentLinkedQueue<String> staleSamples = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        CacheStats beforeA = nodes.a.stats("book");
        CacheStats beforeB = nodes.b.stats("book");
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();

        // Writer w owns rows w, w + WRITERS, ...: one writer per row keeps each row's versions increasing.
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            threads.add(new Thread(() -> run(go, done, errors, () -> {
                long[] next = new long[HOT_ROWS];
                while (!done.get()) {
                    for (int row = writer; row < HOT_ROWS && !done.get(); row += WRITERS) {
                        long version = ++next[row];
                        long id = rows[row];
                        LoomTestUnit node = version % 2 == 0 ? nodes.a : nodes.b;
                        node.emf().runInTransaction(em -> em.find(Book.class, id).setTitle("v" + version));
                        committed.set(row, version); // only after commit() returned
                        writes.incrementAndGet();
                        count(operations, done);
                    }
                }
            }), "writer-" + w));
        }
        for (LoomTestUnit node : List.of(nodes.a, nodes.b)) {
            String name = node == nodes.a ? "A" : "B";
            for (int r = 0; r < READERS_PER_NODE; r++) {
                threads.add(new Thread(() -> run(go, done, errors, () -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (!done.get()) {
                        if (random.nextInt(4) == 0) {
                            long[] floor = new long[HOT_ROWS];
                            for (int row = 0; row < HOT_ROWS; row++) {
                                floor[row] = committed.get(row);
                            }
                            List<BookView> items = node.books.listWithQuery(hotList).items();
                            if (items.size() != HOT_ROWS) {
                                throw new AssertionError("hot list has " + items.size() + " rows: " + items);
                            }
                            for (BookView book : items) {
                                int row = indexOf(rows, book.id());
                                if (versionOf(book) < floor[row]) {
                                    stale.incrementAndGet();
                                    staleSamples.add("list on " + name + ": row " + row + " read v" + versionOf(book)
                                            + " after v" + floor[row] + " committed");
                                }
                            }
                            listReads.incrementAndGet();
                        } else {
                            int row = random.nextInt(HOT_ROWS);
                            long floor = committed.get(row);
                            long read = versionOf(node.books.getById(rows[row]).orElseThrow());
                            if (read < floor) {
                                stale.incrementAndGet();
                                staleSamples.add("getById on " + name + ": row " + row + " read v" + read
                                        + " after v" + floor + " committed");
                            }
                        }
                        reads.incrementAndGet();
                        count(operations, done);
                    }
                }), "reader-" + name + "-" + r));
            }
        }

        threads.forEach(Thread::start);
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }

        CacheStats onA = nodes.a.stats("book").minus(beforeA);
        CacheStats onB = nodes.b.stats("book").minus(beforeB);
        System.out.printf("stale-read checker: %d operations (%d writes, %d reads of which %d lists), %d stale;"
                        + " node A %d hits / %d misses, node B %d hits / %d misses%n", operations.get(), writes.get(),
                reads.get(), listReads.get(), stale.get(), onA.hits(), onA.misses(), onB.hits(), onB.misses());
        assertTrue(errors.isEmpty(), () -> "worker failed: " + errors.peek());
        assertTrue(operations.get() >= TARGET_OPERATIONS, "operations: " + operations.get());
        assertTrue(writes.get() > 100, "writes: " + writes.get());
        assertTrue(listReads.get() > 100, "list reads: " + listReads.get());
        assertEquals(0, stale.get(), () -> "stale reads, e.g. " + List.copyOf(staleSamples).subList(0,
                Math.min(5, staleSamples.size())));
        assertTrue(onA.hits() > 0, "node A never hit: " + onA);
        assertTrue(onB.hits() > 0, "node B never hit: " + onB);
        assertTrue(onA.staleMisses() + onB.staleMisses() > 0, "writes never invalidated a cached entry");
    }

    private static void count(AtomicLong operations, AtomicBoolean done) {
        if (operations.incrementAndGet() >= TARGET_OPERATIONS) {
            done.set(true);
        }
    }

    private static int indexOf(long[] rows, long id) {
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == id) {
                return i;
            }
        }
        throw new AssertionError("row " + id + " is not a hot row");
    }

    private static void run(CountDownLatch go, AtomicBoolean done, ConcurrentLinkedQueue<Throwable> errors,
                            Runnable body) {
        try {
            go.await();
            body.run();
        } catch (Throwable t) {
            errors.add(t);
            done.set(true);
        }
    }
}
