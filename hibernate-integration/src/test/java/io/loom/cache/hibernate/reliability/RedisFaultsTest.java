package io.loom.cache.hibernate.reliability;

import io.loom.cache.testing.RedisServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two nodes under continuous writes and reads on a redis-server the test owns, through the faults
 * a production Redis shows: a crash and an empty restart, restarts in a row, memory exhausted
 * with eviction and without, and a frozen server. Each must give 0 stale reads and 0 failed
 * application calls, and cache hits on both nodes once Redis is healthy again.
 *
 * <p>The outage of the crash test lasts {@code -Dloom.faults.outage-ms} (default 2000); a long
 * form: {@code mvn -B -pl hibernate-integration -am verify -Dtest=RedisFaultsTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dloom.faults.outage-ms=10000}.
 */
class RedisFaultsTest {

    /** The command timeout, and so the bump budget: the longest a commit waits for its bump. */
    static final int TIMEOUT_MILLIS = 300;
    private static final long OUTAGE_MILLIS = Long.getLong("loom.faults.outage-ms", 2_000);
    private static final long PAUSE_MILLIS = 3_000;

    private RedisServerProcess redis;
    private TwoNodeLoad load;

    /** A Redisson client as an application would configure it, Redisson retries included. */
    static RedissonClient client(String address) {
        Config config = new Config();
        config.useSingleServer().setAddress(address).setTimeout(TIMEOUT_MILLIS).setConnectTimeout(TIMEOUT_MILLIS)
                .setRetryAttempts(1);
        return Redisson.create(config);
    }

    private TwoNodeLoad start(String... redisArgs) {
        redis = RedisServerProcess.start(redisArgs);
        load = new TwoNodeLoad(() -> client(redis.address()), Map.of());
        return load.start();
    }

    @AfterEach
    void stop() {
        if (load != null) {
            load.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void killedUnderContinuousWrites_restartedEmpty_noStaleRead_noFailedCall_hitsResume() throws Exception {
        start().awaitPhase("load before the outage");
        redis.stop();
        load.runFor(OUTAGE_MILLIS, "load during the outage");
        redis.restart();
        load.awaitPhase("load after the restart");
        load.finishAndAssert();
    }

    @Test
    void sixEmptyRestartsInARow_noStaleRead_noFailedCall_hitsResume() throws Exception {
        start().awaitPhase("load before the restarts");
        for (int i = 0; i < 6; i++) {
            redis.restart();
            load.awaitPhase("load after restart " + (i + 1));
        }
        load.finishAndAssert();
    }

    @Test
    void maxmemoryWithAllkeysLru_evictingUnderLoad_noStaleRead_noFailedCall_hitsResume() throws Exception {
        start("--maxmemory-policy", "allkeys-lru").awaitPhase("load before memory runs out");
        fill(300);
        // One sample per eviction: the victim is close to random, so entries and counters of the
        // nodes are evicted too, not only the filler nobody reads.
        redis.command("CONFIG", "SET", "maxmemory-samples", "1");
        redis.command("CONFIG", "SET", "maxmemory", Long.toString(usedMemory() + 256 * 1024));
        AtomicBoolean filling = new AtomicBoolean(true);
        Thread filler = new Thread(() -> {
            for (int i = 300; filling.get(); i++) {
                redis.command("SET", "filler:" + i, "x".repeat(10_000));
            }
        }, "filler");
        filler.start();
        try {
            load.runFor(2_000, "load while Redis evicts");
        } finally {
            filling.set(false);
            filler.join();
        }
        long evicted = info("evicted_keys");
        assertTrue(evicted > 0, "Redis evicted nothing");
        load.finishAndAssert();
    }

    @Test
    void maxmemoryWithNoeviction_refusingWrites_noStaleRead_noFailedCall_hitsResume() throws Exception {
        start("--maxmemory-policy", "noeviction").awaitPhase("load before memory runs out");
        fill(300);
        redis.command("CONFIG", "SET", "maxmemory", "1mb");
        assertTrue(redis.command("SET", "probe", "x").startsWith("-OOM"), "Redis refuses writes");
        load.runFor(2_000, "load while Redis refuses writes");
        redis.command("CONFIG", "SET", "maxmemory", "0");
        load.awaitPhase("load after memory is back");
        load.finishAndAssert();
    }

    @Test
    void frozenRedis_sigstopThenSigcont_commitsWaitOneBudgetAtMost_noStaleRead_noFailedCall() throws Exception {
        start().awaitPhase("load before the pause");
        load.checker.longestWriteNanos.set(0);
        redis.pause();
        try {
            load.runFor(PAUSE_MILLIS, "load while Redis is frozen");
        } finally {
            redis.resume();
        }
        long longest = TimeUnit.NANOSECONDS.toMillis(load.checker.longestWriteNanos.get());
        // A commit that waited for Redis itself (its retries, or a second attempt) would last until SIGCONT.
        assertTrue(longest < PAUSE_MILLIS - TIMEOUT_MILLIS, "a commit waited " + longest + " ms");
        load.awaitPhase("load after the pause");
        load.finishAndAssert();
    }

    private void fill(int keys) {
        String value = "x".repeat(10_000);
        for (int i = 0; i < keys; i++) {
            redis.command("SET", "filler:" + i, value);
        }
    }

    private long usedMemory() {
        return infoField(redis.command("INFO", "memory"), "used_memory");
    }

    private long info(String field) {
        return infoField(redis.command("INFO", "stats"), field);
    }

    private static long infoField(String info, String field) {
        for (String line : info.split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).trim());
            }
        }
        throw new AssertionError("INFO has no " + field);
    }
}
