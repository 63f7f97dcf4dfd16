package io.loom.cache.declarative;

import io.loom.cache.LoomCache;
import io.loom.cache.config.CacheConfig;
import io.loom.cache.declarative.CacheQuery;
import io.loom.cache.declarative.Cached;
import io.loom.cache.invalidation.CommittedChanges;
import io.loom.cache.invalidation.MutationEvent;
import io.loom.cache.invalidation.RowRef;
import io.loom.cache.repository.ReadTracking;
import io.loom.cache.stats.CacheStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Declarative caching over the in-memory cache, with committed changes published by hand. */
class DeclarativeCachingTest {

    private final LoomCache cache = LoomCache.inMemory();

    @AfterEach
    void close() {
        cache.close();
    }

    record Row(long id, String name, long version) {
    }

    @Cached(entity = "Row")
    interface Rows {
        @CacheQuery(scope = CacheQuery.Scope.LIST)
        List<Row> named(String prefix);

        @CacheQuery(scope = CacheQuery.Scope.SINGLE)
        Optional<Row> byName(String name);

        @CacheQuery(scope = CacheQuery.Scope.SINGLE)
        int size();

        int uncached();
    }

    /** An in-memory table; reports the rows each read returned, and optionally a row of another entity. */
    static class Table implements Rows, ReadTracking {
        final Map<Long, Row> rows = new ConcurrentHashMap<>();
        final AtomicInteger loads = new AtomicInteger();
        final ThreadLocal<Set<RowRef>> read = new ThreadLocal<>();
        volatile boolean alsoReadsTag = false;
        volatile RuntimeException failure;

        @Override
        public List<Row> named(String prefix) {
            loads.incrementAndGet();
            List<Row> result = rows.values().stream().filter(r -> r.name().startsWith(prefix))
                    .sorted(java.util.Comparator.comparingLong(Row::id)).toList();
            report(result);
            return result;
        }

        @Override
        public Optional<Row> byName(String name) {
            loads.incrementAndGet();
            if (failure != null) {
                throw failure;
            }
            Optional<Row> found = rows.values().stream().filter(r -> r.name().equals(name)).findFirst();
            report(found.stream().toList());
            return found;
        }

        @Override
        public int size() {
            loads.incrementAndGet();
            return rows.size();
        }

        @Override
        public int uncached() {
            loads.incrementAndGet();
            return -1;
        }

        private void report(List<Row> result) {
            Set<RowRef> refs = read.get();
            if (refs != null) {
                result.forEach(r -> refs.add(RowRef.of("Row", r.id())));
                if (alsoReadsTag) {
                    refs.add(RowRef.of("Tag", 1));
                }
            }
        }

        @Override
        public <R> Tracked<R> tracked(Supplier<R> call) {
            Set<RowRef> refs = ConcurrentHashMap.newKeySet();
            read.set(refs);
            try {
                R value = call.get();
                return new Tracked<>(value, refs);
            } finally {
                read.remove();
            }
        }

        @Override
        public Set<String> entitiesRead(String profile) {
            return Set.of("row");
        }
    }

    private final Table table = new Table();
    private final Rows rows = cache.wrapDeclared(Rows.class, table);

    private Row put(long id, String name, long version) {
        Row row = new Row(id, name, version);
        Row old = table.rows.put(id, row);
        cache.publish(CommittedChanges.of(List.of(old == null
                ? MutationEvent.insert("Row", id, Map.of("name", name))
                : MutationEvent.update("Row", id, Set.of("name", "version"),
                        Map.of("name", old.name(), "version", old.version()),
                        Map.of("name", name, "version", version)))));
        return row;
    }

    private CacheStats stats() {
        return cache.stats("row");
    }

    @Test
    void listMethod_missHitWriteMiss() {
        put(1, "alpha", 0);
        CacheStats start = stats();
        assertEquals(1, rows.named("al").size());
        assertEquals(1, rows.named("al").size());
        assertEquals(1, stats().minus(start).hits());
        assertEquals(1, table.loads.get());

        put(2, "zulu", 0); // an insert the filter does not even match: opaque lists still miss
        assertEquals(1, rows.named("al").size());
        CacheStats step = stats().minus(start);
        assertEquals(2, step.misses());
        assertEquals(1, step.staleMisses());
        assertEquals(2, table.loads.get());
    }

    @Test
    void singleMethod_otherRowUpdateHits_ownRowUpdateMisses() {
        put(1, "alpha", 0);
        put(2, "beta", 0);
        rows.byName("alpha");
        CacheStats start = stats();
        put(2, "beta", 1);
        assertEquals(Optional.of(new Row(1, "alpha", 0)), rows.byName("alpha"));
        assertEquals(1, stats().minus(start).hits());
        put(1, "alpha", 7);
        assertEquals(7, rows.byName("alpha").orElseThrow().version());
        assertEquals(1, stats().minus(start).staleMisses());
    }

    @Test
    void singleMethod_notFound_cachedUntilInsert() {
        assertEquals(Optional.empty(), rows.byName("gamma"));
        assertEquals(Optional.empty(), rows.byName("gamma"));
        assertEquals(1, table.loads.get());
        put(3, "gamma", 0);
        assertEquals("gamma", rows.byName("gamma").orElseThrow().name());
        assertEquals(2, table.loads.get());
    }

    @Test
    void primitiveReturn_isCachedAndUnboxed() {
        put(1, "alpha", 0);
        assertEquals(1, rows.size());
        assertEquals(1, rows.size());
        assertEquals(1, table.loads.get());
    }

    @Test
    void unannotatedMethod_alwaysCallsTarget() {
        rows.uncached();
        rows.uncached();
        assertEquals(2, table.loads.get());
    }

    @Test
    void targetException_reachesCallerUnchanged_andNothingIsCached() {
        IllegalStateException failure = new IllegalStateException("database down");
        table.failure = failure;
        assertSame(failure, assertThrows(IllegalStateException.class, () -> rows.byName("x")));
        table.failure = null;
        rows.byName("x");
        rows.byName("x");
        assertEquals(2, table.loads.get()); // the failed load, then one load of "not found"
    }

    @Test
    void loadReadingAnotherEntity_notStoredFirstTime_thenWatchedAndStored() {
        put(1, "alpha", 0);
        table.alsoReadsTag = true;
        rows.named("a");
        rows.named("a");
        rows.named("a");
        assertEquals(2, table.loads.get()); // first load read "tag" unguarded: not stored
    }

    @Test
    void disabledCache_returnsTargetItself() {
        LoomCache disabled = LoomCache.create(CacheConfig.builder().enabled(false).build());
        try {
            assertSame(table, disabled.wrapDeclared(Rows.class, table));
        } finally {
            disabled.close();
        }
    }

    @Test
    void concurrentReadersAndWriter_neverSeeAVersionOlderThanTheLastPublishedBeforeTheirRead() throws Exception {
        put(1, "alpha", 0);
        AtomicLong published = new AtomicLong();
        int readers = 4;
        int writes = 300;
        ExecutorService pool = Executors.newFixedThreadPool(readers + 1);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int r = 0; r < readers; r++) {
                results.add(pool.submit(() -> {
                    go.await();
                    int stale = 0;
                    while (published.get() < writes) {
                        long floor = published.get();
                        long seen = rows.byName("alpha").orElseThrow().version();
                        long listed = rows.named("al").get(0).version();
                        if (seen < floor || listed < floor) {
                            stale++;
                        }
                    }
                    return stale;
                }));
            }
            Future<?> writer = pool.submit(() -> {
                go.await();
                for (long v = 1; v <= writes; v++) {
                    put(1, "alpha", v);
                    published.set(v);
                }
                return null;
            });
            go.countDown();
            writer.get(60, TimeUnit.SECONDS);
            for (Future<Integer> result : results) {
                assertEquals(0, result.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(writes, rows.byName("alpha").orElseThrow().version());
        assertEquals(writes, rows.named("al").get(0).version());
        assertTrue(stats().hits() > 0);
    }
}
