package io.loom.cache.hibernate.reliability;

import io.loom.cache.hibernate.e2e.LoomTestUnit;
import io.loom.cache.testing.Await;
import io.loom.cache.stats.CacheStats;
import io.loom.cache.testing.RedisServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fail-open under a real Redis outage: a redis-server owned by the test is killed under load and
 * started again (empty). No call fails, writes commit, no read is older than a write committed
 * before it started, the circuit breaker keeps reads from paying the timeout, and the cache is
 * used again after recovery.
 */
class RedisOutageTest {

    private static final int WRITERS = 2;
    private static final int READERS = 2;
    private static final int WRITES_PER_PHASE = 20;
    private static final int READS_PER_PHASE = 150;
    private static final Duration WAIT = Duration.ofSeconds(30);

    private RedisServerProcess redis;
    private LoomTestUnit unit;

    private void startNode() {
        startNode("validated");
    }

    private void startNode(String nearCacheMode) {
        redis = RedisServerProcess.start();
        Map<String, Object> props = new HashMap<>();
        props.put("loom.cache.backends.default.type", "redis");
        props.put("loom.cache.backends.default.serializer", "msgpack");
        props.put("loom.cache.backends.default.address", redis.address());
        props.put("loom.cache.backends.default.namespace", "outage");
        props.put("loom.cache.backends.default.timeout", "200");
        props.put("loom.cache.backends.default.connect-timeout", "300");
        props.put("loom.cache.backends.default.retry-attempts", "0");
        props.put("loom.cache.near-cache.mode", nearCacheMode);
        unit = LoomTestUnit.h2(props);
    }

    @AfterEach
    void stop() {
        if (unit != null) {
            unit.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void redisKilledAndRestartedUnderLoad_noFailedCalls_noStaleReads_cacheUsedAgain() throws Exception {
        startNode();
        killAndRestartUnderLoad();
    }

    /**
     * The same with the pushed near cache: values are served without a round trip until Redis goes
     * away; a restarted (empty) Redis restarts the invalidation sequence, which the node must notice.
     */
    @Test
    void pushedNearCache_redisKilledAndRestartedUnderLoad_noStaleReads_cacheUsedAgain() throws Exception {
        startNode("pushed");
        killAndRestartUnderLoad();
        assertTrue(unit.cache().stats().nearHits() > 0, "near-cache hits: " + unit.cache().stats());
    }

    private void killAndRestartUnderLoad() throws Exception {
        VersionChecker checker = new VersionChecker(unit, unit.ids.books().subList(0, 8));
        for (int i = 0; i < checker.size(); i++) {
            checker.read(i); // warm the cache
        }
        AtomicBoolean finish = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            threads.add(new Thread(() -> {
                // Until the phases are over, not for a number of operations: near-cache hits are so
                // fast that a fixed budget could run out before the phase after the restart.
                for (long n = 0; !finish.get(); n++) {
                    checker.write(writer + WRITERS * (int) (n % (checker.size() / WRITERS)));
                }
            }));
        }
        for (int r = 0; r < READERS; r++) {
            threads.add(new Thread(() -> {
                while (!finish.get()) {
                    checker.read();
                }
            }));
        }
        threads.forEach(thread -> {
            thread.setDaemon(true);
            thread.start();
        });
        CacheStats outage;
        try {
            // Healthy, then Redis killed under load, then started again (empty) under load.
            awaitOps(checker, 0, 0, "load before the outage");
            CacheStats atStop = unit.cache().stats();
            redis.stop();
            int writesAtStop = checker.writes.get();
            int readsAtStop = checker.reads.get();
            awaitOps(checker, writesAtStop, readsAtStop, "load during the outage");
            outage = unit.cache().stats().minus(atStop);
            redis.restart();
            awaitOps(checker, checker.writes.get(), checker.reads.get(), "load after the restart");
        } finally {
            finish.set(true);
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(60));
            }
        }

        assertEquals(0, checker.failedCalls.get(), "calls that threw");
        assertEquals(0, checker.staleReads.get(), "reads older than a write committed before them");
        assertEquals(checker.writeAttempts.get(), checker.writes.get(), "every write committed");
        // The circuit breaker: while Redis was down most reads skipped it instead of timing out.
        assertTrue(outage.bypasses() > 0, "bypasses during the outage: " + outage);
        assertTrue(outage.bypasses() > 3 * outage.fallbacks(), "bypasses vs fallbacks: " + outage);
        assertTrue(outage.bumpFailures() > 0, "undelivered bumps during the outage: " + outage);

        // Recovery: the kept bumps are delivered, then reads are served from the cache again.
        Await.until(() -> unit.cache().pendingInvalidations() == 0, WAIT, "pending invalidations delivered");
        CacheStats beforeRecovery = unit.cache().stats();
        Await.until(() -> {
            checker.read(0);
            return unit.cache().stats().minus(beforeRecovery).hits() > 0;
        }, WAIT, "a cache hit after recovery");
        for (int i = 0; i < checker.size(); i++) {
            checker.read(i);
            assertEquals("v" + checker.committed(i), unit.books.getById(unit.ids.books().get(i)).orElseThrow().title());
        }
        assertEquals(0, checker.staleReads.get());
        assertEquals(0, checker.failedCalls.get());
    }

    @Test
    void pausedRedis_readsStillSucceedFromTheDatabase() {
        startNode();
        VersionChecker checker = new VersionChecker(unit, unit.ids.books().subList(0, 4));
        for (int i = 0; i < checker.size(); i++) {
            checker.read(i);
        }
        CacheStats before = unit.cache().stats();
        redis.command("CLIENT", "PAUSE", "1500", "ALL");
        for (int n = 0; n < 40; n++) {
            checker.read(n % checker.size());
            if (n % 10 == 0) {
                checker.write(n % checker.size());
            }
        }
        CacheStats paused = unit.cache().stats().minus(before);
        assertEquals(0, checker.failedCalls.get());
        assertEquals(0, checker.staleReads.get());
        assertTrue(paused.fallbacks() + paused.bypasses() > 0, "reads avoided the paused server: " + paused);
        CacheStats afterPause = unit.cache().stats();
        Await.until(() -> {
            checker.read(1);
            return unit.cache().stats().minus(afterPause).hits() > 0;
        }, WAIT, "a cache hit after the pause");
        assertEquals(0, checker.staleReads.get());
    }

    /** Waits until at least a phase's worth of writes and reads ran since the given counts. */
    private static void awaitOps(VersionChecker checker, int writesBefore, int readsBefore, String what) {
        Await.until(() -> checker.writes.get() - writesBefore >= WRITES_PER_PHASE
                && checker.reads.get() - readsBefore >= READS_PER_PHASE, WAIT, what);
    }
}
