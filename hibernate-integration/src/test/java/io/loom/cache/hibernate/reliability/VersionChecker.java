package io.loom.cache.hibernate.reliability;

import io.loom.cache.hibernate.e2e.LoomTestUnit;
import io.loom.cache.hibernate.model.Book;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The concurrency checker, over one or more nodes (units on one database): writers set a book's
 * title to {@code v<n>} with n increasing per book, through the nodes in turn, and record n after
 * {@code commit()} returned; a read on any node must return a version at least the one recorded
 * before it started. Counts stale reads, calls that threw, and the longest commit.
 */
final class VersionChecker {

    private final List<LoomTestUnit> nodes;
    private final List<Long> ids;
    private final AtomicLongArray committed;
    final AtomicInteger staleReads = new AtomicInteger();
    final AtomicInteger failedCalls = new AtomicInteger();
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger writes = new AtomicInteger();
    final AtomicInteger writeAttempts = new AtomicInteger();
    /** Longest time one write's {@code commit()} (its whole transaction) took, in nanoseconds. */
    final AtomicLong longestWriteNanos = new AtomicLong();
    final ConcurrentLinkedQueue<String> samples = new ConcurrentLinkedQueue<>();

    VersionChecker(LoomTestUnit unit, List<Long> ids) {
        this(List.of(unit), ids);
    }

    /** Sets every book to {@code v0} through the first node. */
    VersionChecker(List<LoomTestUnit> nodes, List<Long> ids) {
        this.nodes = List.copyOf(nodes);
        this.ids = List.copyOf(ids);
        this.committed = new AtomicLongArray(ids.size());
        nodes.get(0).emf().runInTransaction(em -> ids.forEach(id -> em.find(Book.class, id).setTitle("v0")));
    }

    /** Writes the next version of book {@code index}; only one thread may write one index. */
    void write(int index) {
        long next = committed.get(index) + 1;
        LoomTestUnit node = nodes.get((int) (next % nodes.size()));
        writeAttempts.incrementAndGet();
        long started = System.nanoTime();
        try {
            node.emf().runInTransaction(em -> em.find(Book.class, ids.get(index)).setTitle("v" + next));
            committed.set(index, next);
            writes.incrementAndGet();
        } catch (RuntimeException e) {
            failedCalls.incrementAndGet();
            sample("write of book " + index + " threw " + e);
        }
        longestWriteNanos.accumulateAndGet(System.nanoTime() - started, Math::max);
    }

    /** Reads a random book through the first node's cache and checks it against the committed floor. */
    void read() {
        read(0, ThreadLocalRandom.current().nextInt(ids.size()));
    }

    void read(int index) {
        read(0, index);
    }

    /** Reads book {@code index} through node {@code node}'s cache. */
    void read(int node, int index) {
        long floor = committed.get(index);
        try {
            String title = nodes.get(node).books.getById(ids.get(index)).orElseThrow().title();
            long seen = Long.parseLong(title.substring(1));
            if (seen < floor) {
                staleReads.incrementAndGet();
                sample("node " + node + " read v" + seen + " of book " + index + " after v" + floor + " committed");
            }
            reads.incrementAndGet();
        } catch (RuntimeException e) {
            failedCalls.incrementAndGet();
            sample("read of book " + index + " on node " + node + " threw " + e);
        }
    }

    private void sample(String what) {
        if (samples.size() < 10) {
            samples.add(what);
        }
    }

    int size() {
        return ids.size();
    }

    int nodes() {
        return nodes.size();
    }

    long committed(int index) {
        return committed.get(index);
    }
}
