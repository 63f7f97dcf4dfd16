package io.loom.cache.commit;

import io.loom.cache.LoomCache;
import io.loom.cache.PreparedCommit;
import io.loom.cache.config.BackendSettings;
import io.loom.cache.config.BackendType;
import io.loom.cache.config.BumpSettings;
import io.loom.cache.config.CacheConfig;
import io.loom.cache.config.NearCacheMode;
import io.loom.cache.config.NearCacheSettings;
import io.loom.cache.invalidation.CommittedChanges;
import io.loom.cache.invalidation.Invalidation;
import io.loom.cache.serialization.MsgpackSerializer;
import io.loom.cache.testing.Await;
import io.loom.cache.testing.RedisServerProcess;
import io.loom.cache.testing.RedisTestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The leased mode's durable record of a commit: the prepare keeps the commit's invalidation in
 * Redis before the database commits, and a node that dies before its bump is bumped by another
 * node once its lease is gone and the record is due; a live node's record is left to it, and
 * removed once its bump is delivered or its transaction rolled back.
 */
class PreparedCommitRecordTest {

    private static final RedisTestNamespace NS = RedisTestNamespace.create(PreparedCommitRecordTest.class);
    private static final Duration TTL = Duration.ofMinutes(1);

    private final List<LoomCache> nodes = new ArrayList<>();
    /** One namespace per test (JUnit makes one instance per test, so this is static). */
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    @AfterEach
    void closeNodes() {
        nodes.forEach(LoomCache::close);
        nodes.clear();
    }

    @AfterAll
    static void cleanUp() {
        NS.close();
    }

    private String namespace() {
        return NS.child("n" + NAMESPACES.incrementAndGet());
    }

    private LoomCache node(String namespace, BumpSettings bump) {
        CacheConfig config = CacheConfig.builder()
                .backend("default", BackendSettings.builder(BackendType.REDIS).address(RedisTestNamespace.ADDRESS)
                        .serializer(MsgpackSerializer.NAME).namespace(namespace).build())
                .nearCache(NearCacheSettings.of(NearCacheMode.LEASED)).bump(bump).build();
        LoomCache cache = LoomCache.create(config);
        nodes.add(cache);
        return cache;
    }

    private LoomCache node(String namespace) {
        return node(namespace, BumpSettings.DEFAULT);
    }

    /** Waits until {@code count} nodes hold a lease in {@code namespace}. */
    private static void members(String namespace, int count) {
        RedissonClient client = RedisTestNamespace.client();
        Await.until(() -> {
            int members = 0;
            for (String key : client.getKeys().getKeysByPattern(namespace + "*~members")) {
                members += client.getScoredSortedSet(key, StringCodec.INSTANCE).size() - 1; // '~since'
            }
            return members == count;
        }, "the nodes never held their leases");
    }

    private static String read(LoomCache cache, AtomicReference<String> database) {
        return cache.getOrLoad("top", List.of("Book"), String.class, TTL, database::get);
    }

    private static Invalidation bookChanged(LoomCache cache) {
        return cache.resolve(new CommittedChanges(List.of(), Set.of(), Set.of("book")));
    }

    /** Records kept under {@code namespace} (the intents set of its counters). */
    private static int records(String namespace) {
        RedissonClient client = RedisTestNamespace.client();
        int count = 0;
        for (String key : client.getKeys().getKeysByPattern(namespace + "*~intents")) {
            count += client.getScoredSortedSet(key, StringCodec.INSTANCE).size();
        }
        return count;
    }

    @Test
    void nodeThatDiesBetweenItsPrepareAndItsBump_isBumpedByAnotherNode_onceItsRecordIsDue() {
        String namespace = namespace();
        LoomCache writer = node(namespace);
        LoomCache reader = node(namespace);
        members(namespace, 2);
        AtomicReference<String> database = new AtomicReference<>("v1");
        assertEquals("v1", read(reader, database));
        database.set("unused");
        assertEquals("v1", read(reader, database), "cached");

        PreparedCommit prepared = writer.prepare(bookChanged(writer), Duration.ofSeconds(2));
        assertTrue(prepared.recorded(), "Redis holds the commit's invalidation before the database commits");
        assertEquals(1, records(namespace));
        database.set("v2"); // the database commits; the writer dies before its bump
        nodes.remove(writer);
        writer.close();

        assertEquals("v1", read(reader, database), "not replayed before the record is due");
        Await.until(() -> "v2".equals(read(reader, database)), Duration.ofSeconds(10),
                "the dead writer's commit was never bumped by the other node");
        Await.until(() -> records(namespace) == 0, "the replayed record was not removed");
    }

    @Test
    void dueRecordOfALiveNode_isLeftToIt_andRemovedOnceItsBumpIsDelivered() throws InterruptedException {
        String namespace = namespace();
        LoomCache writer = node(namespace);
        LoomCache reader = node(namespace);
        members(namespace, 2);
        AtomicReference<String> database = new AtomicReference<>("v1");
        assertEquals("v1", read(reader, database));

        Invalidation invalidation = bookChanged(writer);
        PreparedCommit prepared = writer.prepare(invalidation, Duration.ofMillis(1));
        assertTrue(prepared.recorded());
        database.set("v2");
        Thread.sleep(2_500); // two sweeps of each node, the record long due: its node holds its lease
        assertEquals("v1", read(reader, database), "a live node's record is not replayed");
        assertEquals(1, records(namespace));

        writer.publish(invalidation, prepared::delivered);
        assertEquals("v2", read(reader, database));
        Await.until(() -> records(namespace) == 0, "the delivered commit's record was not removed");
    }

    @Test
    void rolledBackAfterItsPrepare_itsRecordIsRemoved_andNothingIsInvalidated() throws InterruptedException {
        String namespace = namespace();
        LoomCache writer = node(namespace);
        LoomCache reader = node(namespace);
        AtomicReference<String> database = new AtomicReference<>("v1");
        assertEquals("v1", read(reader, database));

        assertTrue(writer.prepare(bookChanged(writer), Duration.ofSeconds(60)).recorded());
        writer.abandonPrepared();
        Await.until(() -> records(namespace) == 0, "the rolled-back transaction's record was not removed");
        database.set("unused");
        assertEquals("v1", read(reader, database));
    }

    /**
     * A prepare must not take the probe of an open circuit: the read that comes next probes Redis,
     * finds it answering, and closes the circuit.
     */
    @Test
    void prepareWhileTheCircuitIsOpen_recordsNothing_andLeavesTheProbeToTheNextRead() throws InterruptedException {
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            CacheConfig config = CacheConfig.builder()
                    .backend("default", BackendSettings.builder(BackendType.REDIS).address(redis.address())
                            .serializer(MsgpackSerializer.NAME).namespace("probe").timeout(Duration.ofMillis(200))
                            .retryAttempts(0).build())
                    .nearCache(NearCacheSettings.of(NearCacheMode.LEASED)).build();
            try (LoomCache cache = LoomCache.builder(config).circuitOpenFor(Duration.ofMillis(100)).build()) {
                AtomicReference<String> database = new AtomicReference<>("v1");
                assertEquals("v1", read(cache, database));
                redis.pause();
                try {
                    assertEquals("v1", cache.getOrLoad("other", List.of("Book"), String.class, TTL, database::get));
                } finally {
                    redis.resume();
                }
                assertFalse(cache.backendAvailable(), "the failed read opened the circuit");
                Thread.sleep(150); // the circuit would let one read probe now

                assertFalse(cache.prepare(bookChanged(cache), Duration.ofSeconds(5)).recorded(),
                        "no record while the circuit is open: the commit writes its outbox row");
                // A probe may still meet the resumed server's first timeout; a later one closes the
                // circuit. Had the prepare kept the probe, no read could ever probe again.
                Await.until(() -> "v1".equals(read(cache, database)) && cache.backendAvailable(),
                        "no read after the prepare probed Redis and closed the circuit");
            }
        }
    }

    @Test
    void prepareWithReplicasAsked_recordsNothing() {
        String namespace = namespace();
        LoomCache writer = node(namespace, new BumpSettings(null, 1, BumpSettings.DEFAULT_REPLICA_TIMEOUT,
                BumpSettings.DEFAULT_MAX_COUNTERS_PER_CALL));
        node(namespace);
        assertFalse(writer.prepare(bookChanged(writer), Duration.ofSeconds(5)).recorded(),
                "a record on the master alone would not survive the failover the replicas are asked for");
        assertEquals(0, records(namespace));
    }
}
