package io.loom.cache.hibernate.reliability;

import io.loom.cache.hibernate.reliability.ProcessVersionCheck.Result;
import io.loom.cache.testing.RedisServerProcess;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The version check across JVMs: two node processes write and read while their Redis is killed
 * and restarted empty after an outage of {@code loom.faults.outage-ms} (2 s), restarted empty six
 * times in a row, and frozen for 3 s (SIGSTOP, SIGCONT). In CI that cycle runs once, then the
 * nodes stop. The long form repeats it until the nodes together ran that many reads and writes
 * (counted through {@link SharedFloors}, killed processes included); the leased checks below
 * take the same property:
 * <pre>
 * mvn -B -pl hibernate-integration -am verify -Dtest=ProcessVersionCheckTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dloom.check.operations=100000
 * </pre>
 */
class ProcessVersionCheckTest {

    private static final long OPERATIONS = Long.getLong("loom.check.operations", 0);
    private static final long OUTAGE_MILLIS = Long.getLong("loom.faults.outage-ms", 2_000);
    private static final int WRITES_PER_PHASE = 10;
    private static final long PAUSE_MILLIS = 3_000;

    @Test
    void nodesInSeparateProcesses_redisKilledRestartedAndFrozenUnderLoad_noStaleRead_noFailedCall_hitsResume()
            throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start();
             ProcessVersionCheck check = new ProcessVersionCheck(redis, Long.MAX_VALUE)) {
            int outages = 0;
            do {
                check.awaitWrites(WRITES_PER_PHASE, "writes before outage " + (outages + 1));
                if (!check.running()) {
                    break;
                }
                redis.stop();
                park(OUTAGE_MILLIS);
                redis.restart();
                outages++;
                check.awaitWrites(WRITES_PER_PHASE, "writes after outage " + outages);
                for (int restart = 1; restart <= 6 && check.running(); restart++) {
                    redis.restart();
                    check.awaitWrites(WRITES_PER_PHASE, "writes after empty restart " + restart);
                }
                redis.pause();
                try {
                    park(PAUSE_MILLIS);
                } finally {
                    redis.resume();
                }
                check.awaitWrites(WRITES_PER_PHASE, "writes after the freeze");
            } while (OPERATIONS > 0 && check.operations() < OPERATIONS && check.running());
            List<Result> results = check.finish();
            long reads = results.stream().mapToLong(Result::reads).sum();
            long writes = results.stream().mapToLong(Result::writes).sum();
            System.out.printf("process version check: %d outages, %d writes, %d reads, %s%n", outages, writes, reads,
                    results);
            assertTrue(outages > 0, "no outage happened while the nodes ran");
            assertEveryNodeClean(results, check.operations());
        }
    }

    /**
     * The leased near cache across JVMs: one node frozen 3 s (SIGSTOP) while the other commits,
     * then Redis restarted empty. Long form: {@code -Dtest=ProcessVersionCheckTest#leased*
     * -Dloom.check.operations=100000}.
     */
    @Test
    void leased_nodeFrozenAndResumed_thenRedisRestarted_noStaleRead_noFailedCall_hitsResume() throws Exception {
        leasedCheck(2, 0, false);
    }

    /**
     * The leased near cache on four nodes: three writers and a reader. A writer is frozen 3 s
     * (SIGSTOP) while the others commit, then Redis is restarted empty. Long form: {@code
     * -Dtest=ProcessVersionCheckTest#leased_fourNodes* -Dloom.check.operations=100000}.
     */
    @Test
    void leased_fourNodes_writerFrozen_redisRestarted_noStaleRead_noFailedCall() throws Exception {
        leasedCheck(3, 1, false);
    }

    /**
     * The same with the reader killed (SIGKILL, its lease left behind) and restarted empty in every
     * cycle. (An earlier run served stale reads here: commits whose bump failed while Redis
     * restarted returned while the reader's lease still vouched for its kept values; a commit now
     * holds until no such lease is left: LeasedNearCacheTest.leased_commitWhoseBumpFails_*.)
     */
    @Test
    void leased_fourNodes_readerKilledAndRestarted_noStaleRead_noFailedCall() throws Exception {
        leasedCheck(3, 1, true);
    }

    /**
     * The leased near cache on {@code writers} writing and {@code readers} reading node processes:
     * each cycle freezes a writer 3 s, optionally kills the first reader and restarts it empty, then
     * restarts Redis empty.
     */
    private void leasedCheck(int writers, int readers, boolean killReader) throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start();
             ProcessVersionCheck check = new ProcessVersionCheck(redis, Long.MAX_VALUE, "leased", writers, readers)) {
            int cycles = 0;
            do {
                check.awaitWrites(WRITES_PER_PHASE, "writes before freeze " + (cycles + 1));
                if (!check.running()) {
                    break;
                }
                check.freezeNode(cycles % writers, PAUSE_MILLIS);
                check.awaitWrites(WRITES_PER_PHASE, "writes after the frozen node resumed");
                if (killReader) {
                    check.killAndRestart(writers);
                    check.awaitWrites(WRITES_PER_PHASE, "writes after the reader was killed and restarted");
                }
                redis.restart();
                cycles++;
                check.awaitWrites(WRITES_PER_PHASE, "writes after restart " + cycles);
            } while (OPERATIONS > 0 && check.operations() < OPERATIONS && check.running());
            List<Result> results = check.finish();
            long reads = results.stream().mapToLong(Result::reads).sum();
            long writes = results.stream().mapToLong(Result::writes).sum();
            System.out.printf("leased version check, %d nodes: %d cycles, %d writes, %d reads, %s%n",
                    writers + readers, cycles, writes, reads, results);
            assertTrue(cycles > 0, "no fault cycle happened while the nodes ran");
            assertEveryNodeClean(results, check.operations());
        }
    }

    /**
     * No stale read, no failed call, hits resumed, every node worked, and the long form's operations
     * ran ({@code operations}: of every node process, killed ones included).
     */
    private static void assertEveryNodeClean(List<Result> results, long operations) {
        for (Result result : results) {
            assertEquals(0, result.stale(), "stale reads: " + results);
            assertEquals(0, result.failed(), "failed calls: " + results);
            assertTrue(result.hit(), "cache hits resumed on every node: " + results);
            assertTrue((result.writes() > 0 || !result.writer()) && result.reads() > 0,
                    "every node read, every writer wrote: " + results);
        }
        if (OPERATIONS > 0) {
            assertTrue(operations >= OPERATIONS, "operations: " + operations);
        }
    }

    private static void park(long millis) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < until) {
            LockSupport.parkNanos(until - System.nanoTime());
        }
    }
}
