package io.loom.cache.hibernate.reliability;

import io.loom.cache.cached.CacheStats;
import io.loom.cache.hibernate.e2e.LoomTestUnit;
import io.loom.cache.testing.RedisServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

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
    private static final int WRITES_PER_WRITER = 60;
    private static final int READS_PER_READER = 400;

    private RedisServerProcess redis;
    private LoomTestUnit unit;

    private void startNode() {
        redis = RedisServerProcess.start();
        Map<String, Object> props = new HashMap<>();
        props.put("loom.cache.backends.default.type", "redis");
        props.put("loom.cache.backends.default.serializer", "msgpack");
        props.put("loom.cache.backends.default.address", redis.address());
        props.put("loom.cache.backends.default.namespace", "outage");
        props.put("loom.cache.backends.default.timeout", "200");
        props.put("loom.cache.backends.default.connect-timeout", "300");
        props.put("loom.cache.backends.default.retry-attempts", "0");
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
        VersionChecker checker = new VersionChecker(unit, unit.ids.books().subList(0, 8));
        for (int i = 0; i < checker.size(); i++) {
            checker.read(i); // warm the cache
        }
        AtomicInteger done = new AtomicInteger();
        AtomicInteger writesWhileDown = new AtomicInteger();
        AtomicInteger readsWhileDown = new AtomicInteger();
        int total = WRITERS * WRITES_PER_WRITER + READERS * READS_PER_READER;
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            threads.add(new Thread(() -> {
                for (int n = 0; n < WRITES_PER_WRITER; n++) {
                    int index = writer + WRITERS * (n % (checker.size() / WRITERS));
                    checker.write(index);
                    if (down.get()) {
                        writesWhileDown.incrementAndGet();
                    }
                    done.incrementAndGet();
                }
            }));
        }
        for (int r = 0; r < READERS; r++) {
            threads.add(new Thread(() -> {
                for (int n = 0; n < READS_PER_READER; n++) {
                    checker.read();
                    if (down.get()) {
                        readsWhileDown.incrementAndGet();
                    }
                    done.incrementAndGet();
                }
            }));
        }
        threads.forEach(Thread::start);

        awaitTrue(() -> done.get() >= total / 4, "a quarter of the operations");
        CacheStats atStop = unit.cache().stats();
        redis.stop();
        down.set(true);
        awaitTrue(() -> done.get() >= 2 * total / 3 || threads.stream().noneMatch(Thread::isAlive),
                "two thirds of the operations");
        CacheStats outage = unit.cache().stats().minus(atStop);
        down.set(false);
        redis.restart();
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        }

        assertEquals(0, checker.failedCalls.get(), "calls that threw");
        assertEquals(0, checker.staleReads.get(), "reads older than a write committed before them");
        assertEquals(WRITERS * WRITES_PER_WRITER, checker.writes.get(), "committed writes");
        assertTrue(writesWhileDown.get() > 0 && readsWhileDown.get() > 0, "load ran during the outage");
        // The circuit breaker: while Redis was down most reads skipped it instead of timing out.
        assertTrue(outage.bypasses() > 0, "bypasses during the outage: " + outage);
        assertTrue(outage.bypasses() > 3 * outage.fallbacks(), "bypasses vs fallbacks: " + outage);
        assertTrue(outage.bumpFailures() > 0, "undelivered bumps during the outage: " + outage);

        // Recovery: the kept bumps are delivered, then reads are served from the cache again.
        awaitTrue(() -> unit.cache().pendingInvalidations() == 0, "pending invalidations delivered");
        CacheStats beforeRecovery = unit.cache().stats();
        awaitTrue(() -> {
            checker.read(0);
            return unit.cache().stats().minus(beforeRecovery).hits() > 0;
        }, "a cache hit after recovery");
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
        awaitTrue(() -> {
            checker.read(1);
            return unit.cache().stats().minus(afterPause).hits() > 0;
        }, "a cache hit after the pause");
        assertEquals(0, checker.staleReads.get());
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
