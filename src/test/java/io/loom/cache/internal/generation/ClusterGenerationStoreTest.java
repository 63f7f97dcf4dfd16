package io.loom.cache.internal.generation;

import io.loom.cache.config.BumpSettings;
import io.loom.cache.gateway.GenerationStore;
import io.loom.cache.internal.cluster.ClusterGenerationStore;
import io.loom.cache.invalidation.Fingerprint;
import io.loom.cache.testing.RedisClusterProcess;
import io.loom.cache.testing.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generation-store contract on a three-master Redis Cluster, keys spread over every slot. */
class ClusterGenerationStoreTest extends RedisStoreContract {

    private static final String NAMESPACE = "test:ClusterGenerationStoreTest:" + UUID.randomUUID() + ":";
    private static RedisClusterProcess cluster;
    private static RedissonClient client;

    @BeforeAll
    static void startCluster() throws IOException {
        cluster = RedisClusterProcess.start();
        client = Redisson.create(Config.fromYAML(new File(cluster.redissonConfig())));
    }

    @AfterAll
    static void stopCluster() {
        if (client != null) {
            client.shutdown();
        }
        cluster.close();
    }

    @Override
    protected GenerationStore newStore() {
        return new ClusterGenerationStore(client, NAMESPACE, NAMESPACE + UUID.randomUUID() + ":gen:",
                Duration.ofMinutes(5), BumpSettings.DEFAULT);
    }

    /** Each master has a clock of its own: stores are decided by the write epochs alone. */
    @Override
    protected boolean valuesCountersByClock() {
        return false;
    }

    @Override
    protected RedissonClient client() {
        return client;
    }

    @Override
    protected String namespace() {
        return NAMESPACE;
    }

    @Test
    void entriesAndCounters_spreadOverEveryMaster() {
        Set<String> tags = new HashSet<>();
        for (int i = 0; i < 90; i++) {
            tags.add("r:book:" + i);
            assertTrue(store.store(entryKey("e" + i), "v".getBytes(StandardCharsets.UTF_8), Set.of("r:book:" + i, "e:book"),
                    List.of(), Duration.ofMinutes(1)));
        }
        store.bump(Set.of("w:book"), tags);
        for (RedisServerProcess master : cluster.masters()) {
            long keys = Long.parseLong(master.command("DBSIZE").replaceAll("[^0-9]", ""));
            assertTrue(keys >= 30, "master " + master.port() + " holds only " + keys + " of ~182 keys");
        }
        ClusterGenerationStore cluster = (ClusterGenerationStore) store;
        assertTrue(cluster.counterSlot("e:book") != cluster.counterSlot("w:book")
                || cluster.counterSlot("r:book:1") != cluster.counterSlot("r:book:2"), "counters in several slots");
    }

    @Test
    void bump_movesEveryTagOnEveryMaster_andReportsThemAll() {
        Set<String> tags = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            tags.add("r:author:" + i);
        }
        assertTrue(store.store(entryKey, "v".getBytes(StandardCharsets.UTF_8), tags, List.of(), Duration.ofMinutes(1)));
        List<String> before = store.generations(List.copyOf(tags));
        assertEquals(31, store.bump(Set.of("w:author"), tags));
        List<String> after = store.generations(List.copyOf(tags));
        for (int i = 0; i < before.size(); i++) {
            assertEquals(Long.parseLong(before.get(i)) + 1, Long.parseLong(after.get(i)));
        }
        assertEquals(GenerationStore.Status.STALE, store.read(entryKey, List.of("w:author")).status());
    }

    /** An entity tag is striped over counters; a bump of it must reach the entries of every stripe. */
    @Test
    void bump_ofEntityTag_makesEntriesOfEveryStripeStale_andTheirStampsNotCurrent() {
        List<String> keys = new java.util.ArrayList<>();
        List<Fingerprint> stamps = new java.util.ArrayList<>();
        for (int i = 0; i < 64; i++) {
            String key = entryKey("striped" + i);
            keys.add(key);
            stamps.add(store.stamp(key, "v".getBytes(StandardCharsets.UTF_8), Set.of("e:book"), List.of(),
                    0, Duration.ofMinutes(1), true));
        }
        assertTrue(stamps.stream().map(stamp -> stamp.generations().get(0).split("/")[0]).distinct().count() > 8,
                "entries spread over the stripes: " + stamps);
        keys.forEach(key -> assertEquals(GenerationStore.Status.HIT, store.read(key, Set.of("e:book"), List.of()).status()));
        stamps.forEach(stamp -> assertTrue(store.isCurrent(stamp)));
        store.bump(Set.of(), Set.of("e:book"));
        keys.forEach(key -> assertEquals(GenerationStore.Status.STALE, store.read(key, Set.of("e:book"), List.of()).status()));
        stamps.forEach(stamp -> assertTrue(!store.isCurrent(stamp)));
    }
}
