package io.loom.cache.hibernate.reliability;

import io.loom.cache.hibernate.LoomHibernateSettings;
import io.loom.cache.hibernate.e2e.LoomTestUnit;
import io.loom.cache.hibernate.model.Book;
import io.loom.cache.stats.CacheStats;
import org.redisson.api.RedissonClient;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One node of a multi-process version check, as its own JVM ({@link ProcessVersionCheck} starts
 * it): an EntityManagerFactory on the shared database and a Redisson client on the shared Redis.
 * Its writers own some books and record each version in {@link SharedFloors} after
 * {@code commit()} returned; its readers read every book and count a version older than the
 * floor noted before the read as stale. Runs until its operations are done or the check is
 * stopped, then waits for its backlog to be delivered and for a cache hit, and prints one line
 * {@code RESULT writes=.. reads=.. stale=.. failed=.. hit=true|false}.
 *
 * <p>Arguments: {@code jdbcUrl redisAddress floorsFile bookIds(comma) ownedBooks(comma, may be
 * "-") readers operations [nearCacheMode]}.
 */
public final class VersionCheckNode {

    private VersionCheckNode() {
    }

    public static void main(String[] args) throws InterruptedException {
        String jdbcUrl = args[0];
        String redisAddress = args[1];
        Path floorsFile = Path.of(args[2]);
        List<Long> ids = Arrays.stream(args[3].split(",")).map(Long::valueOf).toList();
        int[] owned = args[4].equals("-") ? new int[0] : Arrays.stream(args[4].split(",")).mapToInt(Integer::parseInt).toArray();
        int readers = Integer.parseInt(args[5]);
        long operations = Long.parseLong(args[6]);

        SharedFloors floors = SharedFloors.open(floorsFile, ids.size());
        RedissonClient client = RedisFaultsTest.client(redisAddress);
        Map<String, Object> props = new HashMap<>(LoomTestUnit.redisProperties("redis://127.0.0.1:1", "faults"));
        props.put(LoomHibernateSettings.REDISSON_CLIENT, client);
        props.put("jakarta.persistence.jdbc.url", jdbcUrl);
        props.put("jakarta.persistence.schema-generation.database.action", "none");
        if (args.length > 7) {
            props.put("loom.cache.near-cache.mode", args[7]);
        }
        AtomicInteger writes = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        AtomicInteger stale = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        java.util.Queue<Long> commitNanos = new java.util.concurrent.ConcurrentLinkedQueue<>();
        boolean hit;
        try (LoomTestUnit unit = LoomTestUnit.h2OnRedis("faults", props, false)) {
            List<Thread> threads = new ArrayList<>();
            for (int book : owned) {
                threads.add(new Thread(() -> {
                    long version = floors.committed(book);
                    OperationCount count = new OperationCount(floors);
                    while (!floors.stopped() && done.incrementAndGet() <= operations) {
                        count.one();
                        long next = ++version;
                        try {
                            long start = System.nanoTime();
                            unit.emf().runInTransaction(em -> em.find(Book.class, ids.get(book)).setTitle("v" + next));
                            commitNanos.add(System.nanoTime() - start);
                            floors.commit(book, next);
                            writes.incrementAndGet();
                        } catch (RuntimeException e) {
                            failed.incrementAndGet();
                            e.printStackTrace();
                        }
                    }
                    count.flush();
                }, "writer-" + book));
            }
            for (int r = 0; r < readers; r++) {
                threads.add(new Thread(() -> {
                    OperationCount count = new OperationCount(floors);
                    while (!floors.stopped() && done.incrementAndGet() <= operations) {
                        count.one();
                        int book = ThreadLocalRandom.current().nextInt(ids.size());
                        long floor = floors.committed(book);
                        try {
                            String title = unit.books.getById(ids.get(book)).orElseThrow().title();
                            if (Long.parseLong(title.substring(1)) < floor) {
                                stale.incrementAndGet();
                                System.out.println("STALE book " + book + " read " + title + " after v" + floor);
                            }
                            reads.incrementAndGet();
                        } catch (RuntimeException e) {
                            failed.incrementAndGet();
                            e.printStackTrace();
                        }
                    }
                    count.flush();
                }, "reader-" + r));
            }
            threads.forEach(Thread::start);
            System.out.println("READY");
            for (Thread thread : threads) {
                thread.join();
            }
            hit = recovered(unit, ids.get(0));
        } finally {
            client.shutdown();
        }
        long[] sorted = commitNanos.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length > 0) {
            System.out.printf("COMMITS n=%d p50=%.2fms p99=%.2fms max=%.2fms%n", sorted.length,
                    sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6,
                    sorted[sorted.length - 1] / 1e6);
        }
        System.out.println("RESULT writes=" + writes + " reads=" + reads + " stale=" + stale + " failed=" + failed
                + " hit=" + hit);
    }

    /** Whether, within 30 s, the backlog is delivered and a read is a cache hit again. */
    private static boolean recovered(LoomTestUnit unit, long id) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            CacheStats before = unit.cache().stats();
            try {
                unit.books.getById(id);
            } catch (RuntimeException e) {
                return false;
            }
            if (unit.cache().pendingInvalidations() == 0 && unit.cache().stats().minus(before).hits() > 0) {
                return true;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return false;
    }

    /** One thread's operations, added to the shared total every thousand (an atomic add each). */
    private static final class OperationCount {
        private final SharedFloors floors;
        private long pending;

        OperationCount(SharedFloors floors) {
            this.floors = floors;
        }

        void one() {
            if (++pending == 1_000) {
                flush();
            }
        }

        void flush() {
            floors.addOperations(pending);
            pending = 0;
        }
    }
}
