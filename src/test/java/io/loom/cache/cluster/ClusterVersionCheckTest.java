package io.loom.cache.cluster;

import io.loom.cache.LoomCache;
import io.loom.cache.config.BackendSettings;
import io.loom.cache.config.BackendType;
import io.loom.cache.config.BumpSettings;
import io.loom.cache.config.NearCacheSettings;
import io.loom.cache.config.CacheConfig;
import io.loom.cache.serialization.MsgpackSerializer;
import io.loom.cache.testing.Await;
import io.loom.cache.testing.RedisClusterProcess;
import io.loom.cache.testing.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The version checker on a Redis Cluster of three masters with one replica each: two nodes (two
 * Redisson clients), a writer and two readers on each, over rows spread on every master. A writer
 * sets row i to version n in the "database", commits its invalidation through its node and then
 * records n; a read on either node must return at least the version recorded before it started.
 * Under load, a slot range is migrated (MIGRATE, ASK/MOVED) or a master fails over (CLUSTER
 * FAILOVER), or a master is killed (with {@code bump.replicas=1}), with the default near cache and
 * with the leased one: 0 stale reads, 0 failed calls, every invalidation delivered, hits on both
 * nodes after.
 *
 * <p>Long form: {@code mvn -B -pl src verify -Dtest=ClusterVersionCheckTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dloom.cluster.rounds=20} (each round migrates, or fails
 * over, once more under load).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterVersionCheckTest {

    private static final int ROWS = 48;
    private static final int ROUNDS = Integer.getInteger("loom.cluster.rounds", 1);
    private static final NearCacheSettings LEASED = NearCacheSettings.leased(Duration.ofSeconds(1), Duration.ofMillis(50));
    private static final Duration LOAD_AROUND = Duration.ofMillis(Long.getLong("loom.cluster.load-ms", 700));
    private static RedisClusterProcess cluster;

    @BeforeAll
    static void start() {
        cluster = RedisClusterProcess.start(1);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    @Order(1)
    void slotRangeMigratedUnderLoad_noStaleRead_noFailedCall() {
        Checker checker = run("migrate", BumpSettings.DEFAULT, round -> {
            List<RedisServerProcess> masters = cluster.masters();
            cluster.moveSlots(masters.get(round % 3), masters.get((round + 1) % 3), 1500);
        });
        checker.assertClean();
    }

    @Test
    @Order(2)
    void masterFailsOverUnderLoad_noStaleRead_noFailedCall() {
        Checker checker = run("failover", BumpSettings.DEFAULT,
                round -> cluster.failover(cluster.masters().stream().filter(cluster::hasReplica).toList().get(round % 3)));
        checker.assertClean();
    }

    /**
     * The same two faults under the leased near cache: hits are local while a node holds its
     * lease; the channel's slot (membership, acknowledgements, sequence) may be the one that moves
     * or fails over, and then nodes see a gap or lose their lease and validate until they hold one
     * again.
     */
    @Test
    @Order(4)
    void leased_slotRangeMigratedUnderLoad_noStaleRead_noFailedCall() {
        Checker checker = run("leased-migrate", BumpSettings.DEFAULT, LEASED, round -> {
            List<RedisServerProcess> masters = cluster.masters();
            cluster.moveSlots(masters.get(round % 3), masters.get((round + 1) % 3), 1500);
        });
        checker.assertClean();
        assertTrue(checker.nearHits() > 0, "the leased near cache served hits locally");
    }

    @Test
    @Order(5)
    void leased_masterFailsOverUnderLoad_noStaleRead_noFailedCall() {
        Checker checker = run("leased-failover", BumpSettings.DEFAULT, LEASED,
                round -> cluster.failover(cluster.masters().stream().filter(cluster::hasReplica).toList().get(round % 3)));
        checker.assertClean();
        assertTrue(checker.nearHits() > 0, "the leased near cache served hits locally");
    }

    /**
     * A master crashes (SIGKILL) and its replica takes over after the node timeout. With
     * {@code bump.replicas=1} every bump of a returned commit is on the replica (WAIT per master):
     * none is lost with the master. Until the killed node rejoined as the new master's replica,
     * bumps touching that master cannot be acknowledged: they are kept, and the nodes read from
     * the database meanwhile; then they are delivered.
     */
    @Test
    @Order(3)
    void masterKilledUnderLoad_withBumpReplicas_noStaleRead_noFailedCall() {
        Checker checker = run("killed", new BumpSettings(null, 1, Duration.ofMillis(200),
                BumpSettings.DEFAULT_MAX_COUNTERS_PER_CALL), round -> {
            RedisServerProcess master = cluster.masters().stream().filter(cluster::hasReplica).toList().get(round % 3);
            cluster.killMaster(master);
            cluster.rejoin(master);
        });
        checker.assertClean();
    }

    private Checker run(String namespace, BumpSettings bump, Consumer<Integer> fault) {
        return run(namespace, bump, NearCacheSettings.DEFAULT, fault);
    }

    private Checker run(String namespace, BumpSettings bump, NearCacheSettings near, Consumer<Integer> fault) {
        List<RedissonClient> clients = new ArrayList<>();
        List<LoomCache> nodes = new ArrayList<>();
        try {
            for (int n = 0; n < 2; n++) {
                RedissonClient client = Redisson.create(Config.fromYAML(new File(cluster.redissonConfig())));
                clients.add(client);
                CacheConfig config = CacheConfig.builder().backend("default", BackendSettings.builder(BackendType.REDIS)
                        .redissonConfig(cluster.redissonConfig()).serializer(MsgpackSerializer.NAME)
                        .namespace("check:" + namespace).build()).bump(bump).nearCache(near).build();
                nodes.add(LoomCache.builder(config).redissonClient(client).retryEvery(Duration.ofMillis(50)).build());
            }
            Checker checker = new Checker(nodes);
            checker.start();
            Await.until(() -> checker.reads.get() >= 1000 && checker.writes.get() >= 50, Duration.ofSeconds(30),
                    "the nodes never warmed up");
            for (int round = 0; round < ROUNDS; round++) {
                LockSupport.parkNanos(LOAD_AROUND.toNanos());
                long started = System.nanoTime();
                int writesBefore = checker.writes.get();
                fault.accept(round);
                System.out.printf("%s round %d: %d ms, %d writes meanwhile%n", namespace, round,
                        (System.nanoTime() - started) / 1_000_000, checker.writes.get() - writesBefore);
            }
            LockSupport.parkNanos(LOAD_AROUND.toNanos());
            checker.stop();
            for (LoomCache node : nodes) {
                Await.until(() -> node.pendingInvalidations() == 0, "a node kept undelivered invalidations");
            }
            checker.hitsAfterRecovery();
            nodes.forEach(node -> System.out.printf("node: %d bumps, %d bump failures, %d fallbacks, %d bypasses, %d hits"
                            + " (%d near)%n", node.stats().bumps(), node.stats().bumpFailures(), node.stats().fallbacks(),
                    node.stats().bypasses(), node.stats().hits(), node.stats().nearHits()));
            checker.nearHits = nodes.stream().mapToLong(node -> node.stats().nearHits()).sum();
            return checker;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            nodes.forEach(LoomCache::close);
            clients.forEach(RedissonClient::shutdown);
        }
    }

    private static final class Checker {
        final List<LoomCache> nodes;
        final AtomicLongArray database = new AtomicLongArray(ROWS);
        final AtomicLongArray committed = new AtomicLongArray(ROWS);
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger writes = new AtomicInteger();
        final AtomicInteger stale = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final ConcurrentLinkedQueue<String> samples = new ConcurrentLinkedQueue<>();
        final AtomicBoolean running = new AtomicBoolean(true);
        final List<Thread> threads = new ArrayList<>();
        long nearHits;

        Checker(List<LoomCache> nodes) {
            this.nodes = nodes;
        }

        long read(LoomCache node, int row) {
            return node.getOrLoad("row:" + row, List.of("Row" + row), Long.class, Duration.ofMinutes(1),
                    () -> database.get(row));
        }

        void start() {
            for (int n = 0; n < nodes.size(); n++) {
                LoomCache node = nodes.get(n);
                int parity = n;
                threads.add(new Thread(() -> {
                    while (running.get()) {
                        int row = 2 * ThreadLocalRandom.current().nextInt(ROWS / 2) + parity; // one writer per row
                        long next = database.get(row) + 1;
                        try {
                            database.set(row, next);
                            node.invalidate("Row" + row);
                            committed.set(row, next);
                            writes.incrementAndGet();
                        } catch (RuntimeException e) {
                            failed.incrementAndGet();
                            samples.add("write threw " + e);
                        }
                        LockSupport.parkNanos(2_000_000);
                    }
                }, "writer-" + n));
                for (int r = 0; r < 2; r++) {
                    threads.add(new Thread(() -> {
                        while (running.get()) {
                            int row = ThreadLocalRandom.current().nextInt(ROWS);
                            long floor = committed.get(row);
                            try {
                                long seen = read(node, row);
                                reads.incrementAndGet();
                                if (seen < floor) {
                                    stale.incrementAndGet();
                                    samples.add("row " + row + " read " + seen + " after " + floor + " committed");
                                }
                            } catch (RuntimeException e) {
                                failed.incrementAndGet();
                                samples.add("read threw " + e);
                            }
                        }
                    }, "reader-" + n + "-" + r));
                }
            }
            threads.forEach(Thread::start);
        }

        void stop() {
            running.set(false);
            threads.forEach(Await::joined);
        }

        void hitsAfterRecovery() {
            for (LoomCache node : nodes) {
                long before = node.stats().hits();
                Await.until(() -> {
                    for (int row = 0; row < ROWS; row++) {
                        assertTrue(read(node, row) >= committed.get(row));
                    }
                    return node.stats().hits() > before;
                }, "no hit after recovery");
            }
        }

        long nearHits() {
            return nearHits;
        }

        void assertClean() {
            System.out.printf("cluster check: %d writes, %d reads, %d stale, %d failed%n", writes.get(), reads.get(),
                    stale.get(), failed.get());
            assertEquals(0, stale.get(), "stale reads, e.g. " + samples);
            assertEquals(0, failed.get(), "failed calls, e.g. " + samples);
            assertTrue(writes.get() > 50 && reads.get() > 500, writes + " writes, " + reads + " reads");
        }
    }
}
