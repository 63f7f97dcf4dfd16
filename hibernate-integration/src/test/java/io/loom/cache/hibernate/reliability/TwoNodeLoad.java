package io.loom.cache.hibernate.reliability;

import io.loom.cache.hibernate.LoomHibernateSettings;
import io.loom.cache.hibernate.e2e.LoomTestUnit;
import io.loom.cache.hibernate.model.TestDatabase;
import io.loom.cache.testing.Await;
import io.loom.cache.stats.CacheStats;
import org.redisson.api.RedissonClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two application nodes on one H2 database, each with its own Redisson client (from
 * {@code clients}) on a Redis the test owns, under continuous load: writers commit through both
 * nodes, readers read through both, a {@link VersionChecker} counts stale reads and failed calls.
 * A fault test runs phases (healthy, fault, recovered), each until enough operations ran, then
 * {@link #finishAndAssert()} checks 0 stale reads, 0 failed calls, every write committed, every
 * backlog delivered and cache hits on both nodes again.
 */
final class TwoNodeLoad implements AutoCloseable {

    static final int BOOKS = 8;
    private static final int WRITERS = 2;
    private static final int READERS_PER_NODE = 2;
    private static final int WRITES_PER_PHASE = 20;
    private static final int READS_PER_PHASE = 150;
    private static final long WAIT_SECONDS = 60;
    /** How long a wait of the load tests lasts before it fails. */
    static final Duration WAIT = Duration.ofSeconds(WAIT_SECONDS);

    final LoomTestUnit a;
    final LoomTestUnit b;
    final VersionChecker checker;
    private final List<RedissonClient> clients = new ArrayList<>();
    private final AtomicBoolean finish = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    /**
     * @param clients a new Redisson client per call (one per node; shut down by {@link #close()})
     * @param extra   Loom properties on both nodes (near-cache mode, bump settings)
     */
    TwoNodeLoad(Supplier<RedissonClient> clients, Map<String, Object> extra) {
        String url = TestDatabase.sharedH2Url();
        Map<String, Object> first = properties(clients, extra);
        first.put("jakarta.persistence.jdbc.url", url);
        this.a = LoomTestUnit.h2(first);
        Map<String, Object> second = properties(clients, extra);
        second.put("jakarta.persistence.jdbc.url", url);
        second.put("jakarta.persistence.schema-generation.database.action", "none");
        this.b = LoomTestUnit.h2OnRedis("faults", second, false);
        this.checker = new VersionChecker(List.of(a, b), a.ids.books().subList(0, BOOKS));
    }

    private Map<String, Object> properties(Supplier<RedissonClient> clients, Map<String, Object> extra) {
        RedissonClient client = clients.get();
        this.clients.add(client);
        Map<String, Object> props = new HashMap<>(LoomTestUnit.redisProperties("redis://127.0.0.1:1", "faults"));
        props.put(LoomHibernateSettings.REDISSON_CLIENT, client);
        props.put("loom.cache.near-cache.mode", "validated");
        props.putAll(extra);
        return props;
    }

    /** Warms both nodes' caches, then starts writers and readers. */
    TwoNodeLoad start() {
        for (int node = 0; node < 2; node++) {
            for (int i = 0; i < BOOKS; i++) {
                checker.read(node, i);
            }
        }
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            threads.add(new Thread(() -> {
                for (int n = 0; !finish.get(); n++) {
                    checker.write(writer + WRITERS * (n % (BOOKS / WRITERS)));
                }
            }, "writer-" + w));
        }
        for (int node = 0; node < 2; node++) {
            for (int r = 0; r < READERS_PER_NODE; r++) {
                int reader = node;
                threads.add(new Thread(() -> {
                    while (!finish.get()) {
                        checker.read(reader, java.util.concurrent.ThreadLocalRandom.current().nextInt(BOOKS));
                    }
                }, "reader-" + node + "-" + r));
            }
        }
        threads.forEach(Thread::start);
        return this;
    }

    /** Waits until a phase's worth of writes and reads ran from now; fails when they do not. */
    void awaitPhase(String what) {
        int writes = checker.writes.get();
        int reads = checker.reads.get();
        Await.until(() -> checker.writes.get() - writes >= WRITES_PER_PHASE
                && checker.reads.get() - reads >= READS_PER_PHASE, WAIT, what);
    }

    /** Like {@link #awaitPhase} but also at least {@code millis} long (the length of a fault). */
    void runFor(long millis, String what) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        awaitPhase(what);
        while (System.nanoTime() < until) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /** Stops the load and asserts correctness and recovery on both nodes. */
    void finishAndAssert() throws InterruptedException {
        finish.set(true);
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        }
        String report = report();
        System.out.println(report);
        assertEquals(0, checker.failedCalls.get(), () -> "calls that threw: " + report);
        assertEquals(0, checker.staleReads.get(), () -> "stale reads: " + report);
        assertEquals(checker.writeAttempts.get(), checker.writes.get(), "every write committed");
        for (LoomTestUnit node : List.of(a, b)) {
            Await.until(() -> node.cache().pendingInvalidations() == 0, WAIT, "pending invalidations delivered");
        }
        for (int node = 0; node < 2; node++) {
            LoomTestUnit unit = node == 0 ? a : b;
            CacheStats before = unit.cache().stats();
            int index = node;
            Await.until(() -> {
                checker.read(index, 0);
                return unit.cache().stats().minus(before).hits() > 0;
            }, WAIT, "a cache hit on node " + node + " after recovery");
            for (int i = 0; i < BOOKS; i++) {
                checker.read(node, i);
            }
        }
        assertEquals(0, checker.staleReads.get(), () -> "stale reads after recovery: " + checker.samples);
        assertEquals(0, checker.failedCalls.get(), () -> "failed calls after recovery: " + checker.samples);
    }

    String report() {
        return "version checker: " + checker.writes.get() + " writes, " + checker.reads.get() + " reads, "
                + checker.staleReads.get() + " stale, " + checker.failedCalls.get() + " failed, longest commit "
                + TimeUnit.NANOSECONDS.toMillis(checker.longestWriteNanos.get()) + " ms; samples " + checker.samples
                + "; A " + a.cache().stats() + "; B " + b.cache().stats();
    }

    @Override
    public void close() {
        finish.set(true);
        try {
            b.close();
            a.close();
        } finally {
            clients.forEach(RedissonClient::shutdown);
        }
    }
}
