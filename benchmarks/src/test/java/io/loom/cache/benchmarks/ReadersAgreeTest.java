package io.loom.cache.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every anchor reads what PostgreSQL holds, on the real services (PostgreSQL 127.0.0.1:5432,
 * Redis 127.0.0.1:6379 under a key prefix of its own).
 */
class ReadersAgreeTest {

    private static final BenchSettings SETTINGS = new BenchSettings(
            BenchSettings.fromSystemProperties().jdbcUrl(), BenchSettings.fromSystemProperties().jdbcUser(),
            BenchSettings.fromSystemProperties().redisAddress(),
            "loom-bench:test:" + ReadersAgreeTest.class.getSimpleName() + ":" + UUID.randomUUID() + ":");

    @BeforeAll
    static void seed() {
        BenchDatabase.ensureSeeded(SETTINGS);
    }

    @AfterAll
    static void cleanUp() {
        RedisKeys.deleteAll(SETTINGS, "");
    }

    @Test
    void noCache_findAndList_equalTheDatabase() {
        try (EntityReader reader = Implementation.NO_CACHE.create(SETTINGS, 1)) {
            assertReadsMatchDatabase(reader);
        }
    }

    @Test
    void rawRedisGet_findAndList_equalTheDatabase_andUpdateIsUnsupported() {
        try (EntityReader reader = Implementation.RAW_REDIS_GET.create(SETTINGS, 1)) {
            reader.warm(Warming.ALL);
            assertReadsMatchDatabase(reader);
            assertThrows(UnsupportedOperationException.class, () -> reader.update(1));
        }
    }

    @Test
    void hibernate2lc_secondFind_isACacheHit_andCommittedUpdate_isVisible() {
        try (EntityReader reader = Implementation.HIBERNATE_2LC.create(SETTINGS, 1)) {
            long id = 4_242;
            CacheCounters start = reader.counters();
            BookRow first = reader.find(id);
            BookRow second = reader.find(id);
            assertEquals(first, second);
            CacheCounters afterReads = reader.counters().minus(start);
            assertEquals(1, afterReads.entityMisses());
            assertEquals(1, afterReads.entityHits());

            String category = first.category();
            reader.list(category, BenchSettings.LIST_LIMIT);
            reader.list(category, BenchSettings.LIST_LIMIT);
            CacheCounters afterLists = reader.counters().minus(start);
            assertEquals(1, afterLists.listMisses());
            assertEquals(1, afterLists.listHits());

            reader.update(id);
            assertEquals(first.revision() + 1, reader.find(id).revision());
            assertReadsMatchDatabase(reader);
        }
    }

    @Test
    void loomRedis_hitsAfterFirstRead_andCommittedUpdateInvalidatesRowAndList() {
        assertLoomCachesAndInvalidates(Implementation.LOOM_REDIS);
    }

    @Test
    void loomRedisLeased_hitsAfterFirstRead_andCommittedUpdateInvalidatesRowAndList() {
        assertLoomCachesAndInvalidates(Implementation.LOOM_REDIS_LEASED);
    }

    @Test
    void loomMemory_hitsAfterFirstRead_andCommittedUpdateInvalidatesRowAndList() {
        assertLoomCachesAndInvalidates(Implementation.LOOM_MEMORY);
    }

    private static void assertLoomCachesAndInvalidates(Implementation implementation) {
        try (EntityReader reader = implementation.create(SETTINGS, 1)) {
            String category = BookFixture.categoryName(3);
            CacheCounters start = reader.counters();
            List<BookRow> page = reader.list(category, BenchSettings.LIST_LIMIT);
            assertEquals(page, reader.list(category, BenchSettings.LIST_LIMIT));
            long id = page.get(5).id();
            BookRow first = reader.find(id);
            assertEquals(first, reader.find(id));
            CacheCounters afterReads = reader.counters().minus(start);
            assertEquals(new CacheCounters(1, 1, 1, 1), afterReads);

            reader.update(id);
            assertEquals(first.revision() + 1, reader.find(id).revision());
            assertEquals(first.revision() + 1, reader.list(category, BenchSettings.LIST_LIMIT).get(5).revision());
            assertEquals(new CacheCounters(1, 2, 1, 2), reader.counters().minus(start));
            assertReadsMatchDatabase(reader);
        }
    }

    private static void assertReadsMatchDatabase(EntityReader reader) {
        List<BookRow> all = BenchDatabase.readAll(SETTINGS);
        for (long id : new long[] {1, 2, 4_242, BenchSettings.ROWS}) {
            assertEquals(all.get((int) id - 1), reader.find(id), "row " + id);
        }
        for (int c : new int[] {0, 7, BenchSettings.CATEGORIES - 1}) {
            String category = BookFixture.categoryName(c);
            List<BookRow> expected = BenchDatabase.readList(SETTINGS, category, BenchSettings.LIST_LIMIT);
            assertEquals(BenchSettings.LIST_LIMIT, expected.size());
            assertEquals(expected, reader.list(category, BenchSettings.LIST_LIMIT), category);
        }
    }
}
