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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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

    /** A bump moves epochs and tags in parallel: only the stripe clocks prove a store. */
    @Override
    protected boolean epochsAloneProve() {
        return false;
    }

    /** A miss's since names a snapshot of stripe clocks, not one clock. */
    @Override
    protected boolean sinceIsServerClock() {
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
            assertTrue(Long.parseLong(after.get(i)) > Long.parseLong(before.get(i)), after.get(i) + " > " + before.get(i));
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

    /**
     * A lookup by id watches its own tags (e:book, r:book:1) instead of the entity's epoch. A bulk
     * write committed during its load moves every stripe of e:book: the store must see it, on
     * whichever stripe the entry is stamped with.
     */
    @Test
    void store_ofLookupWatchingItsOwnTags_afterABulkWriteDuringTheLoad_isRefused() {
        Set<String> tags = new java.util.LinkedHashSet<>(List.of("e:book", "r:book:1"));
        assertTrue(store.store(entryKey("warm"), "x".getBytes(StandardCharsets.UTF_8), tags, List.of(),
                Duration.ofMinutes(1)), "creates the tags");
        List<String> asked = List.of("w:book", "e:book", "r:book:1");
        GenerationStore.ReadResult miss = store.read(entryKey, tags, asked);
        List<GenerationStore.EpochValue> ownTags = miss.epochs().subList(1, 3);
        store.bump(Set.of("w:book"), Set.of("e:book")); // a bulk write, committed during the load
        assertNull(store.stamp(entryKey, "old".getBytes(StandardCharsets.UTF_8), tags, ownTags, miss.since(),
                Duration.ofMinutes(1), true), "the bulk write moved a tag the load depends on");
    }

    /** Watched epochs without the clocks read before the load prove nothing here: refused. */
    @Test
    void store_watchingEpochsWithoutAClockReading_isRefused() {
        List<GenerationStore.EpochValue> epochs = store.read(entryKey("miss"), List.of("w:book")).epochs();
        assertNull(store.stamp(entryKey, "v".getBytes(StandardCharsets.UTF_8), Set.of("r:book:1"), epochs, 0,
                Duration.ofMinutes(1), false));
        assertNull(store.stamp(entryKey, "v".getBytes(StandardCharsets.UTF_8), Set.of("r:book:1"), epochs, 987_654,
                Duration.ofMinutes(1), false), "a snapshot this store never took");
    }

    /** Every stripe clock lost between the miss and a commit: recreated from the clock, above the snapshot. */
    @Test
    void store_afterTheStripeClocksWereLostAndACommitMovedATag_isRefused() {
        Set<String> tags = new java.util.LinkedHashSet<>(List.of("e:book", "r:book:1"));
        GenerationStore.ReadResult miss = store.read(entryKey, tags, List.of("w:book"));
        client.getKeys().deleteByPattern(NAMESPACE + "*~clock");
        store.bump(Set.of("w:book"), Set.of("r:book:1"));
        assertNull(store.stamp(entryKey, "old".getBytes(StandardCharsets.UTF_8), tags, miss.epochs(), miss.since(),
                Duration.ofMinutes(1), false));
        GenerationStore.ReadResult again = store.read(entryKey, tags, List.of("w:book"));
        assertNotNull(store.stamp(entryKey, "new".getBytes(StandardCharsets.UTF_8), tags, again.epochs(), again.since(),
                Duration.ofMinutes(1), false), "a load after the commit is kept");
    }

    /**
     * A commit's bump is one wave: one script per stripe it touches, moving that stripe's epochs
     * and tags together (no epoch wave before the tags), then the near caches' message.
     */
    @Test
    void bump_movesEachStripesEpochsAndTagsInOneScript_thenSendsTheMessage() {
        ClusterGenerationStore cluster = (ClusterGenerationStore) store;
        int epochSlot = cluster.counterSlot("w:book");
        String sameStripe = null;
        for (int id = 0; sameStripe == null; id++) {
            if (cluster.counterSlot("r:book:" + id) == epochSlot) {
                sameStripe = "r:book:" + id;
            }
        }
        Set<String> tags = new java.util.LinkedHashSet<>(List.of(sameStripe, "l:book", "u:book", "f:book:title",
                "v:book:author:7"));
        Set<Integer> slots = new HashSet<>();
        slots.add(epochSlot);
        tags.forEach(tag -> slots.add(cluster.counterSlot(tag)));
        long before = evalCalls();
        store.bump(Set.of("w:book"), tags);
        assertEquals(slots.size() + 1, evalCalls() - before, "one call per stripe " + slots + " and the message");
        Set<Integer> masters = new HashSet<>();
        slots.forEach(slot -> masters.add(slot * 3 / 16384));
        assertTrue(masters.size() > 1, "the tags' stripes are on several masters: " + masters);
    }

    private static long evalCalls() {
        long calls = 0;
        for (RedisServerProcess master : cluster.masters()) {
            calls += master.commandCalls("evalsha") + master.commandCalls("eval");
        }
        return calls;
    }
}
