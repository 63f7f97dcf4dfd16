package io.loom.cache.hibernate.reliability;

import io.loom.cache.hibernate.e2e.LoomTestUnit;
import io.loom.cache.hibernate.model.Book;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The concurrency checker: writers set a book's title to {@code v<n>} with n increasing per book
 * and record n after {@code commit()} returned; a read must return a version at least the one
 * recorded before it started. Counts stale reads and calls that threw.
 */
final class VersionChecker {

    private final LoomTestUnit unit;
    private final List<Long> ids;
    private final AtomicLongArray committed;
    final AtomicInteger staleReads = new AtomicInteger();
    final AtomicInteger failedCalls = new AtomicInteger();
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger writes = new AtomicInteger();
    final AtomicInteger writeAttempts = new AtomicInteger();

    VersionChecker(LoomTestUnit unit, List<Long> ids) {
        this.unit = unit;
        this.ids = List.copyOf(ids);
        this.committed = new AtomicLongArray(ids.size());
        unit.emf().runInTransaction(em -> ids.forEach(id -> em.find(Book.class, id).setTitle("v0")));
    }

    /** Writes the next version of book {@code index}; only one thread may write one index. */
    void write(int index) {
        long next = committed.get(index) + 1;
        writeAttempts.incrementAndGet();
        try {
            unit.emf().runInTransaction(em -> em.find(Book.class, ids.get(index)).setTitle("v" + next));
            committed.set(index, next);
            writes.incrementAndGet();
        } catch (RuntimeException e) {
            failedCalls.incrementAndGet();
        }
    }

    /** Reads a random book through the cache and checks it against the committed floor. */
    void read() {
        int index = ThreadLocalRandom.current().nextInt(ids.size());
        read(index);
    }

    void read(int index) {
        long floor = committed.get(index);
        try {
            String title = unit.books.getById(ids.get(index)).orElseThrow().title();
            long seen = Long.parseLong(title.substring(1));
            if (seen < floor) {
                staleReads.incrementAndGet();
            }
            reads.incrementAndGet();
        } catch (RuntimeException e) {
            failedCalls.incrementAndGet();
        }
    }

    int size() {
        return ids.size();
    }

    long committed(int index) {
        return committed.get(index);
    }
}
