package io.loom.cache.cluster;

import io.loom.cache.LoomCache;
import io.loom.cache.PreparedCommit;
import io.loom.cache.config.BackendSettings;
import io.loom.cache.config.BackendType;
import io.loom.cache.config.CacheConfig;
import io.loom.cache.config.NearCacheMode;
import io.loom.cache.config.NearCacheSettings;
import io.loom.cache.gateway.CacheGateway;
import io.loom.cache.gateway.GatewayBackends;
import io.loom.cache.internal.backend.BackendFactory;
import io.loom.cache.invalidation.CommittedChanges;
import io.loom.cache.serialization.MsgpackSerializer;
import io.loom.cache.testing.Await;
import io.loom.cache.testing.RedisClusterProcess;
import io.loom.cache.testing.RedisServerProcess;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Redis backend and the generation store on a local three-master Redis Cluster owned by the test. */
class RedisClusterTest {

    private static RedisClusterProcess cluster;

    @BeforeAll
    static void start() {
        cluster = RedisClusterProcess.start();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static BackendSettings settings(String namespace, String serializer) {
        return BackendSettings.builder(BackendType.REDIS).redissonConfig(cluster.redissonConfig())
                .serializer(serializer).namespace(namespace).build();
    }

    private static CacheGateway gateway(String alias, String namespace) {
        return CacheGateway.over(BackendFactory.create(alias, settings(namespace, MsgpackSerializer.NAME)),
                MsgpackSerializer.INSTANCE);
    }

    @Test
    void gateway_multiGetMultiSetAndDeleteSpanningSlots() {
        CacheGateway gateway = gateway("spread", "spread");
        CacheGateway other = gateway("other", "other");
        try {
            Map<String, Object> pairs = new LinkedHashMap<>();
            for (int i = 0; i < 60; i++) {
                pairs.put("key-" + i, "value-" + i);
            }
            gateway.multiSetValues(pairs, Duration.ofMinutes(1));
            List<String> keys = new ArrayList<>(pairs.keySet());
            keys.add("absent");
            List<Object> values = gateway.multiGetValues(keys);
            for (int i = 0; i < 60; i++) {
                assertEquals("value-" + i, values.get(i));
            }
            assertNull(values.get(60));
            assertTrue(other.setValue("keep", "me"));

            assertEquals(30, gateway.deleteMany(keys.subList(0, 30)));
            gateway.clear();
            assertFalse(gateway.exists("key-45"));
            assertEquals("me", other.getValue("keep"), "clear() stays inside its namespace");
        } finally {
            other.clear();
            GatewayBackends.of(gateway).close();
            GatewayBackends.of(other).close();
        }
    }

    private static LoomCache node(String namespace, NearCacheMode mode, List<RedissonClient> clients) {
        try {
            RedissonClient client = Redisson.create(Config.fromYAML(new File(cluster.redissonConfig())));
            clients.add(client);
            CacheConfig config = CacheConfig.builder().backend("default", settings(namespace, MsgpackSerializer.NAME))
                    .nearCache(NearCacheSettings.of(mode)).build();
            return LoomCache.builder(config).redissonClient(client).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long calls(String command) {
        return cluster.masters().stream().mapToLong(master -> master.commandCalls(command)).sum();
    }

    private static String row(LoomCache cache, int id, AtomicLongArray database, AtomicInteger loads) {
        return cache.getOrLoad("row:" + id, List.of("Row" + id), String.class, Duration.ofMinutes(1), () -> {
            loads.incrementAndGet();
            return "v" + database.get(id);
        });
    }

    /**
     * Two nodes (two Redisson clients) over one cluster, a namespace without hash tag: entries and
     * counters land on every master, a commit on one node is read by the other, hits hit.
     */
    @Test
    void loomCache_twoNodes_namespaceSpreadOverEveryMaster_readEachOthersCommits() {
        List<RedissonClient> clients = new ArrayList<>();
        AtomicLongArray database = new AtomicLongArray(60);
        AtomicInteger loads = new AtomicInteger();
        try (LoomCache a = node("spreadnodes", NearCacheMode.VALIDATED, clients);
             LoomCache b = node("spreadnodes", NearCacheMode.VALIDATED, clients)) {
            for (int id = 0; id < 60; id++) {
                assertEquals("v0", row(a, id, database, loads));
                assertEquals("v0", row(b, id, database, loads));
            }
            assertEquals(60, loads.get(), "node b hit every entry node a stored");
            for (RedisServerProcess master : cluster.masters()) {
                long keys = Long.parseLong(master.command("DBSIZE").replaceAll("[^0-9]", ""));
                assertTrue(keys >= 30, "master " + master.port() + " holds " + keys + " keys of ~180");
            }
            for (int id = 0; id < 60; id += 3) {
                database.set(id, 1);
                a.invalidate("Row" + id);
                assertEquals("v1", row(b, id, database, loads), "row " + id);
                assertEquals("v1", row(a, id, database, loads), "row " + id);
            }
            assertEquals(80, loads.get());
            assertEquals(20, a.stats().bumps());
            assertEquals(0, a.stats().bumpFailures());
            assertEquals(0, a.pendingInvalidations());
        } finally {
            clients.forEach(RedissonClient::shutdown);
        }
    }

    /**
     * The pushed near cache over the sharded channel: once live, node b's hits make no GET on any
     * master, and node a's commit reaches b's near cache by message alone.
     */
    @Test
    void pushedNearCache_onCluster_hitsWithoutRoundTrip_andDropsOnAnotherNodesCommit() {
        List<RedissonClient> clients = new ArrayList<>();
        AtomicLongArray database = new AtomicLongArray(4);
        AtomicInteger loads = new AtomicInteger();
        try (LoomCache a = node("pushednodes", NearCacheMode.PUSHED, clients);
             LoomCache b = node("pushednodes", NearCacheMode.PUSHED, clients)) {
            assertEquals("v0", row(a, 1, database, loads));
            Await.until(() -> {
                row(b, 1, database, loads); // kept; served locally once b's heartbeat came back
                long before = calls("get") + calls("mget");
                for (int i = 0; i < 20; i++) {
                    row(b, 1, database, loads);
                }
                return calls("get") + calls("mget") == before;
            }, "node b's pushed near cache never served without a round trip");
            assertTrue(b.stats().nearHits() >= 20, "near hits: " + b.stats().nearHits());
            database.set(1, 1);
            a.invalidate("Row1");
            assertEquals(0, a.pendingInvalidations());
            Await.until(() -> row(b, 1, database, loads).equals("v1"), "node b never heard of node a's commit");
            assertEquals("v1", row(a, 1, database, loads), "the committing node reads its own write");
        } finally {
            clients.forEach(RedissonClient::shutdown);
        }
    }

    /**
     * The leased near cache on a spread namespace: the channel's slot holds the membership, so once
     * both nodes hold leases, hits make no call on any master, and a read right after the other
     * node's commit returned sees it (the commit waited for this node's acknowledgement).
     */
    @Test
    void leasedNearCache_onSpreadNamespace_hitsWithoutRoundTrip_andReadsAfterACommitSeeIt() {
        List<RedissonClient> clients = new ArrayList<>();
        AtomicLongArray database = new AtomicLongArray(4);
        AtomicInteger loads = new AtomicInteger();
        try (LoomCache a = node("leasednodes", NearCacheMode.LEASED, clients);
             LoomCache b = node("leasednodes", NearCacheMode.LEASED, clients)) {
            assertEquals("v0", row(a, 2, database, loads));
            Await.until(() -> {
                row(b, 2, database, loads); // kept; served locally once b holds a lease
                long before = calls("get") + calls("mget");
                for (int i = 0; i < 20; i++) {
                    row(b, 2, database, loads);
                }
                return calls("get") + calls("mget") == before;
            }, "node b's leased near cache never served without a round trip");
            long nearHits = b.stats().nearHits();
            for (int version = 1; version <= 30; version++) {
                database.set(2, version);
                a.invalidate("Row2");
                assertEquals(0, a.pendingInvalidations());
                assertEquals("v" + version, row(b, 2, database, loads),
                        "a read on b right after a's commit returned must see it");
                assertEquals("v" + version, row(b, 2, database, loads));
            }
            assertTrue(b.stats().nearHits() >= nearHits + 30, "the second read of each version was local: "
                    + (b.stats().nearHits() - nearHits));
        } finally {
            clients.forEach(RedissonClient::shutdown);
        }
    }

    /**
     * A leased commit's recorded announcement on a spread namespace: the record lives in the
     * channel's slot with the sequence it is numbered by, and when its node dies before its bump
     * the other node replays it.
     */
    @Test
    void leasedRecordedPrepare_onSpreadNamespace_isReplayedAfterItsNodeDied() {
        List<RedissonClient> clients = new ArrayList<>();
        AtomicLongArray database = new AtomicLongArray(4);
        AtomicInteger loads = new AtomicInteger();
        try (LoomCache b = node("recorded", NearCacheMode.LEASED, clients)) {
            PreparedCommit prepared;
            try (LoomCache a = node("recorded", NearCacheMode.LEASED, clients)) {
                assertEquals("v0", row(b, 3, database, loads));
                prepared = a.prepare(a.resolve(new CommittedChanges(List.of(), Set.of(), Set.of("row3"))),
                        Duration.ofMillis(500));
                assertTrue(prepared.recorded(), "the record and its sequence share the channel's slot");
                database.set(3, 1); // committed; node a dies before its bump
            }
            assertEquals("v0", row(b, 3, database, loads), "not replayed before the record is due");
            Await.until(() -> "v1".equals(row(b, 3, database, loads)), Duration.ofSeconds(10),
                    "node b never replayed the dead node's recorded commit");
        } finally {
            clients.forEach(RedissonClient::shutdown);
        }
    }

    /**
     * Every master forgot its scripts (SCRIPT FLUSH, as after a restart or a replica's promotion):
     * the first commit after it is delivered at once on a spread namespace, in both modes, and a
     * read on the other node sees it.
     */
    @Test
    void commitAfterEveryMasterForgotItsScripts_isDeliveredAtOnce() {
        for (NearCacheMode mode : List.of(NearCacheMode.VALIDATED, NearCacheMode.LEASED)) {
            List<RedissonClient> clients = new ArrayList<>();
            AtomicLongArray database = new AtomicLongArray(8);
            AtomicInteger loads = new AtomicInteger();
            String namespace = "flushed" + mode.name().toLowerCase();
            try (LoomCache a = node(namespace, mode, clients); LoomCache b = node(namespace, mode, clients)) {
                for (int id = 0; id < 8; id++) {
                    assertEquals("v0", row(b, id, database, loads));
                    a.invalidate("Row" + id);
                }
                assertEquals(0, a.pendingInvalidations());
                cluster.masters().forEach(master -> master.command("SCRIPT", "FLUSH"));
                for (int id = 0; id < 8; id++) {
                    database.set(id, 1);
                    a.invalidate("Row" + id);
                    assertEquals(0, a.pendingInvalidations(), mode + ": the bump of row " + id + " after SCRIPT FLUSH");
                    assertEquals("v1", row(b, id, database, loads), mode + ": row " + id);
                }
                assertEquals(0, a.stats().bumpFailures(), mode.toString());
            } finally {
                clients.forEach(RedissonClient::shutdown);
            }
        }
    }

    @Test
    void loomCache_hashTagNamespace_bumpsCountersOnTheCluster() {
        CacheConfig config = CacheConfig.builder().backend("default", settings("{loomc}", MsgpackSerializer.NAME)).build();
        try (LoomCache cache = LoomCache.create(config)) {
            cache.invalidate("Book");
            cache.invalidate("Author");
            cache.invalidate(String.class, "1");
            assertEquals(0, cache.pendingInvalidations());
            assertEquals(3, cache.stats().bumps(), "the row invalidation is delivered like the others");
            assertEquals(0, cache.stats().bumpFailures());
            CacheGateway counters = CacheGateway.over(BackendFactory.create("counters", settings("{loomc}:gen", "none")),
                    null);
            try {
                List<Long> generations = counters.multiGetValues(List.of("w:book", "w:author"), Long.class);
                assertTrue(generations.stream().allMatch(g -> g != null && g > 0), generations.toString());
            } finally {
                GatewayBackends.of(counters).close();
            }
        }
    }
}
