package io.loom.cache.internal.read;

import io.loom.cache.config.NearCacheMode;
import io.loom.cache.config.NearCacheSettings;
import com.github.benmanes.caffeine.cache.Ticker;
import io.loom.cache.gateway.CacheGateway;
import io.loom.cache.gateway.GatewayMode;
import io.loom.cache.gateway.GenerationStore;
import io.loom.cache.gateway.GenerationStore.EpochValue;
import io.loom.cache.internal.generation.ForwardingGenerationStore;
import io.loom.cache.invalidation.Fingerprint;
import io.loom.cache.internal.backend.MemoryBackend;
import io.loom.cache.internal.codec.EntryCodec;
import io.loom.cache.internal.generation.LocalGenerationStore;
import io.loom.cache.internal.near.InvalidationLog;
import io.loom.cache.internal.near.NearCache;
import io.loom.cache.internal.near.NearCaches;
import io.loom.cache.stats.CacheStats;
import io.loom.cache.testing.Await;
import io.loom.cache.testing.FakeTicker;
import io.loom.cache.testing.RedisServerProcess;
import io.loom.cache.testing.TestStores;
import io.loom.cache.testing.TextCodec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StampedCacheTest {

    private static final EntryCodec<String> TEXT = TextCodec.INSTANCE;

    private MemoryBackend entries;
    private GenerationStore store;
    private CacheMetrics metrics;
    private StampedCache cache;

    @BeforeEach
    void setUp() {
        entries = new MemoryBackend(GatewayMode.DATA);
        store = TestStores.memory(entries, new MemoryBackend(GatewayMode.COUNTER));
        metrics = new CacheMetrics();
        cache = new StampedCache(store, metrics, CacheGuard.standard(Duration.ofSeconds(1)), 64);
    }

    private Lookup<String> lookup(String key, Supplier<String> load) {
        return new Lookup<>("book", key, Set.of("book"), Set.of("r:book:1"), Duration.ofMinutes(1),
                Duration.ofSeconds(5), TEXT, () -> Lookup.Loaded.of(load.get(), Set.of(), Set.of("book")));
    }

    @Test
    void get_missThenHit_loadsOnce() {
        AtomicInteger loads = new AtomicInteger();
        assertEquals("v", cache.get(lookup("k", () -> "v" + "".repeat(loads.incrementAndGet() * 0))));
        assertEquals("v", cache.get(lookup("k", () -> "v" + "".repeat(loads.incrementAndGet() * 0))));
        assertEquals(1, loads.get());
        CacheStats stats = metrics.snapshot();
        assertEquals(1, stats.hits());
        assertEquals(1, stats.misses());
        assertEquals(1, stats.stores());
    }

    /** A store whose answers the test releases: stampAsync waits for {@code answer}. */
    private static final class HeldStore extends ForwardingGenerationStore {
        final CompletableFuture<Void> answer = new CompletableFuture<>();

        HeldStore(GenerationStore delegate) {
            super(delegate);
        }

        @Override
        public CompletionStage<Fingerprint> stampAsync(String entryKey, byte[] payload, Collection<String> tags,
                                                       List<EpochValue> watched, long since, Duration entryTtl,
                                                       boolean tagsKnownToCaller) {
            return answer.thenApplyAsync(released -> stamp(entryKey, payload, tags, watched, since, entryTtl,
                    tagsKnownToCaller));
        }
    }

    @Test
    void miss_returnsItsLoadBeforeTheStoreIsAnswered_andTheNextReadOfTheKeyWaitsForTheStore() throws Exception {
        HeldStore held = new HeldStore(store);
        StampedCache heldCache = new StampedCache(held, metrics, CacheGuard.standard(Duration.ofSeconds(1)), 64);
        AtomicInteger loads = new AtomicInteger();
        Supplier<String> load = () -> "v" + loads.getAndIncrement();

        assertEquals("v0", heldCache.get(lookup("k", load)), "the miss returned while its store was unanswered");
        assertEquals(0, metrics.snapshot().stores(), "the store is not answered yet");
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            Future<String> second = reader.submit(() -> heldCache.get(lookup("k", load)));
            assertThrows(TimeoutException.class, () -> second.get(300, TimeUnit.MILLISECONDS),
                    "the next read of the key waits for its store");
            held.answer.complete(null);
            assertEquals("v0", second.get(10, TimeUnit.SECONDS));
        } finally {
            reader.shutdownNow();
        }
        assertEquals(1, loads.get(), "the second read found the stored value instead of loading again");
        heldCache.awaitStores();
        assertEquals(1, metrics.snapshot().stores());
        assertEquals(1, metrics.snapshot().hits());
    }

    @Test
    void awaitStores_waitsUntilEveryStoreBegunIsCounted() throws Exception {
        HeldStore held = new HeldStore(store);
        StampedCache heldCache = new StampedCache(held, metrics, CacheGuard.standard(Duration.ofSeconds(1)), 64);
        heldCache.get(lookup("a", () -> "a"));
        heldCache.get(lookup("b", () -> "b"));
        ExecutorService counter = Executors.newSingleThreadExecutor();
        try {
            Future<Long> stores = counter.submit(() -> {
                heldCache.awaitStores();
                return metrics.snapshot().stores();
            });
            assertThrows(TimeoutException.class, () -> stores.get(300, TimeUnit.MILLISECONDS),
                    "statistics wait for the stores in flight");
            held.answer.complete(null);
            assertEquals(2, stores.get(10, TimeUnit.SECONDS));
        } finally {
            counter.shutdownNow();
        }
    }

    @Test
    void nearCache_keptValueLivesItsTimeToLiveOnTheInjectedClock() {
        FakeTicker ticker = new FakeTicker();
        NearCache near = NearCaches.create(NearCacheSettings.of(NearCacheMode.VALIDATED), store, ticker);
        StampedCache timed = new StampedCache(store, metrics, CacheGuard.standard(Duration.ofSeconds(1)), 64, near,
                ticker);
        AtomicInteger loads = new AtomicInteger();
        Supplier<String> load = () -> "v" + loads.incrementAndGet();
        assertEquals("v1", timed.get(lookup("k", load)));
        assertEquals("v1", timed.get(lookup("k", load)));
        assertEquals(1, metrics.snapshot().nearHits(), "kept in this process after the store");

        ticker.advance(Duration.ofMinutes(1).plusSeconds(1));
        assertEquals("v1", timed.get(lookup("k", load)), "the stored entry still serves (its Redis TTL is its own)");
        assertEquals(1, metrics.snapshot().nearHits(), "past its time to live the kept value is not served");
        assertEquals(1, loads.get());
    }

    /*
     * Counters of this process are moved by this store's bumps alone, which feed the near cache's
     * log as they apply: a kept value is known current without asking the store, until one of
     * its tags is bumped.
     */
    @Test
    void nearCache_overCountersOfThisProcess_knowsKeptValuesCurrent_untilTheirTagIsBumped() {
        NearCache near = NearCaches.create(NearCacheSettings.of(NearCacheMode.VALIDATED), store);
        StampedCache local = new StampedCache(store, metrics, CacheGuard.standard(Duration.ofSeconds(1)), 64, near,
                Ticker.systemTicker());
        assertEquals("v1", local.get(lookup("k", () -> "v1")));
        assertEquals(InvalidationLog.Verdict.CURRENT, near.verdict(near.get("k")));

        store.bump(Set.of("w:book"), Set.of("r:book:2"));
        assertEquals(InvalidationLog.Verdict.CURRENT, near.verdict(near.get("k")), "another row moved");
        assertEquals("v1", local.get(lookup("k", () -> "unused")));
        assertEquals(1, metrics.snapshot().nearHits());

        store.bump(Set.of("w:book"), Set.of("r:book:1"));
        assertEquals(InvalidationLog.Verdict.STALE, near.verdict(near.get("k")));
        assertEquals("v2", local.get(lookup("k", () -> "v2")));
    }

    /** Counters other processes may move (a shared counter alias): every kept value is validated. */
    @Test
    void nearCache_overCountersOfOtherProcessesToo_validatesKeptValues() {
        GenerationStore shared = new LocalGenerationStore(entries,
                CacheGateway.over(new MemoryBackend(GatewayMode.COUNTER), null), "gen:", Clock.systemUTC(), false);
        NearCache near = NearCaches.create(NearCacheSettings.of(NearCacheMode.VALIDATED), shared);
        StampedCache local = new StampedCache(shared, metrics, CacheGuard.standard(Duration.ofSeconds(1)), 64, near,
                Ticker.systemTicker());
        assertEquals("v1", local.get(lookup("k", () -> "v1")));
        assertEquals(InvalidationLog.Verdict.UNKNOWN, near.verdict(near.get("k")));
        assertEquals("v1", local.get(lookup("k", () -> "unused")));
    }

    @Test
    void get_afterBumpOfDependedTag_reloads() {
        cache.get(lookup("k", () -> "old"));
        store.bump(Set.of("w:book"), Set.of("r:book:1"));
        assertEquals("new", cache.get(lookup("k", () -> "new")));
        assertEquals(1, metrics.snapshot().staleMisses());
    }

    @Test
    void get_whenCommitBumpsDuringLoad_returnsLoadButDoesNotStoreIt() {
        String value = cache.get(lookup("k", () -> {
            store.bump(Set.of("w:book"), Set.of("r:book:1")); // a commit lands while the load runs
            return "maybe stale";
        }));
        assertEquals("maybe stale", value);
        assertEquals(1, metrics.snapshot().racedStores());
        assertEquals("fresh", cache.get(lookup("k", () -> "fresh")), "the raced load was not kept");
    }

    @Test
    void get_notFound_isCachedWithAbsentTtl() {
        AtomicInteger loads = new AtomicInteger();
        Supplier<String> missing = () -> {
            loads.incrementAndGet();
            return null;
        };
        assertNull(cache.get(lookup("absent", missing)));
        assertNull(cache.get(lookup("absent", missing)));
        assertEquals(1, loads.get());
    }

    @Test
    void get_undecodableEntry_isMissAndReplaced() {
        cache.get(lookup("k", () -> "corrupt bytes"));
        assertEquals("good", cache.get(lookup("k", () -> "good")));
        assertEquals("good", cache.get(lookup("k", () -> "unused")));
        assertEquals(1, metrics.snapshot().hits());
    }

    @Test
    void get_valueOverSizeLimit_isServedButNotStored() {
        String big = "x".repeat(100);
        assertEquals(big, cache.get(lookup("big", () -> big)));
        assertEquals(1, metrics.snapshot().oversizeSkips());
        assertEquals(0, metrics.snapshot().stores());
    }

    @Test
    void get_concurrentMisses_shareOneLoad() throws Exception {
        int threads = 8;
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<String>> results = new ArrayList<>();
            Supplier<String> slowLoad = () -> {
                loads.incrementAndGet();
                loading.countDown();
                Await.released(release, "the test never released the slow load");
                return "shared";
            };
            results.add(pool.submit(() -> cache.get(lookup("flight", slowLoad))));
            assertTrue(loading.await(5, TimeUnit.SECONDS));
            for (int i = 1; i < threads; i++) {
                results.add(pool.submit(() -> cache.get(lookup("flight", slowLoad))));
            }
            Await.until(() -> metrics.snapshot().misses() >= threads,
                    "not all " + threads + " concurrent lookups missed while the first one loaded");
            release.countDown();
            for (Future<String> result : results) {
                assertEquals("shared", result.get(5, TimeUnit.SECONDS));
            }
            assertEquals(1, loads.get(), "one database load for " + threads + " concurrent misses");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void get_whenRedisIsDown_servesFromLoaderAndOpensCircuit() {
        RedisServerProcess server = RedisServerProcess.start();
        Config config = new Config();
        config.useSingleServer().setAddress(server.address()).setTimeout(1000).setRetryAttempts(0)
                .setConnectTimeout(1000);
        RedissonClient client = Redisson.create(config);
        try {
            CacheMetrics downMetrics = new CacheMetrics();
            CacheGuard guard = CacheGuard.standard(Duration.ofMinutes(1));
            downMetrics.circuitState(() -> !guard.closed());
            StampedCache down = new StampedCache(TestStores.redis(client, "t"),
                    downMetrics, guard, 1024);
            server.stop();
            AtomicInteger loads = new AtomicInteger();
            for (int i = 0; i < 5; i++) {
                assertEquals("db", down.get(lookup("k", () -> "db" + "".repeat(loads.incrementAndGet() * 0))));
            }
            assertEquals(5, loads.get());
            CacheStats stats = downMetrics.snapshot();
            assertEquals(1, stats.fallbacks(), "only the first read pays the failure");
            assertEquals(4, stats.bypasses(), "the open circuit sends the rest straight to the database");
            assertEquals(4L, stats.bypassed().get("circuitOpen"), stats.toString());
            assertEquals(4, stats.misses(), "bypassed reads are misses: the counters do not look idle");
            assertTrue(stats.circuitOpen(), stats.toString());
        } finally {
            client.shutdown();
            server.close();
        }
    }

    @Test
    void completeTags_writeToAnotherRowDuringTheLoad_storesTheLoad_writeToTheSameRowRefusesIt() {
        assertCompleteTagsWatchOwnRowOnly(store, cache, metrics);
    }

    @Test
    void completeTags_onRedis_writeToAnotherRowDuringTheLoad_storesTheLoad_writeToTheSameRowRefusesIt() {
        Config config = new Config();
        config.useSingleServer().setAddress("redis://127.0.0.1:6379");
        RedissonClient client = Redisson.create(config);
        String namespace = "test:StampedCacheTest:" + java.util.UUID.randomUUID() + ":";
        try {
            GenerationStore redis = TestStores.redis(client, namespace.substring(0, namespace.length() - 1));
            CacheMetrics redisMetrics = new CacheMetrics();
            StampedCache redisCache = new StampedCache(redis, redisMetrics, CacheGuard.standard(Duration.ofSeconds(1)), 64);
            assertCompleteTagsWatchOwnRowOnly(redis, redisCache, redisMetrics);
        } finally {
            client.getKeys().deleteByPattern(namespace + "*");
            client.shutdown();
        }
    }

    private static void assertCompleteTagsWatchOwnRowOnly(GenerationStore store, StampedCache cache, CacheMetrics metrics) {
        AtomicInteger loads = new AtomicInteger();
        // First load: the row's counters do not exist yet, so the entity epoch is watched.
        assertEquals("v0", cache.get(byIdOf(true, () -> "v" + loads.getAndIncrement())));
        cache.awaitStores(); // the previous read's store lands before this write
        store.bump(Set.of("w:book"), Set.of("r:book:1"));

        // Another row of the entity is written while row 1 loads: the load is still stored.
        assertEquals("v1", cache.get(byIdOf(true, () -> {
            store.bump(Set.of("w:book"), Set.of("r:book:2"));
            return "v" + loads.getAndIncrement();
        })));
        assertEquals("v1", cache.get(byIdOf(true, () -> "v" + loads.getAndIncrement())));
        assertEquals(2, loads.get());
        assertEquals(0, settled(cache, metrics).racedStores());

        // Row 1 itself is written while it loads: refused, the next read loads again.
        cache.awaitStores(); // the previous read's store lands before this write
        store.bump(Set.of("w:book"), Set.of("r:book:1"));
        assertEquals("v2", cache.get(byIdOf(true, () -> {
            store.bump(Set.of("w:book"), Set.of("r:book:1"));
            return "v" + loads.getAndIncrement();
        })));
        assertEquals(1, settled(cache, metrics).racedStores());
        assertEquals("v3", cache.get(byIdOf(true, () -> "v" + loads.getAndIncrement())));
        assertEquals(4, loads.get());

        // Without complete tags the entity epoch is watched, but the store's clock proof keeps the
        // load: another row's write during it moved none of its tags.
        cache.awaitStores(); // the previous read's store lands before this write
        store.bump(Set.of("w:book"), Set.of("r:book:1"));
        assertEquals("v4", cache.get(byIdOf(false, () -> {
            store.bump(Set.of("w:book"), Set.of("r:book:3"));
            return "v" + loads.getAndIncrement();
        })));
        assertEquals(1, settled(cache, metrics).racedStores());
        assertEquals("v4", cache.get(byIdOf(false, () -> "v" + loads.getAndIncrement())));
        assertEquals(5, loads.get());

        // ... and a write of row 1 itself during the load still refuses it.
        cache.awaitStores(); // the previous read's store lands before this write
        store.bump(Set.of("w:book"), Set.of("r:book:1"));
        assertEquals("v5", cache.get(byIdOf(false, () -> {
            store.bump(Set.of("w:book"), Set.of("r:book:1"));
            return "v" + loads.getAndIncrement();
        })));
        assertEquals(2, settled(cache, metrics).racedStores());
    }

    /** The counters once every store begun has been answered (a Redis store answers after the read returned). */
    private static CacheStats settled(StampedCache cache, CacheMetrics metrics) {
        cache.awaitStores();
        return metrics.snapshot();
    }

    private static Lookup<String> byIdOf(boolean tagsComplete, Supplier<String> load) {
        return new Lookup<>("book", "id:1", Set.of("book"), Set.of("e:book", "r:book:1"), Duration.ofMinutes(1),
                Duration.ofSeconds(5), TEXT,
                () -> Lookup.Loaded.of(load.get(), Set.of("e:book", "r:book:1"), Set.of("book")), tagsComplete);
    }
}
