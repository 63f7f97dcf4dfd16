package io.loom.cache.hibernate.precision;

import io.loom.cache.hibernate.e2e.LoomTestUnit;
import io.loom.cache.hibernate.model.Shelf;
import io.loom.cache.stats.CacheStats;
import io.loom.cache.testing.RedisTestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** "Not found" entries on real Redis: cached for {@code loom.cache.negative-ttl}, ended by the insert of the id. */
class NegativeCachingTest {

    private static final long NEGATIVE_TTL_MS = 7_000;

    private static RedisTestNamespace namespace;
    private static LoomTestUnit unit;

    @BeforeAll
    static void start() {
        namespace = RedisTestNamespace.create(NegativeCachingTest.class);
        unit = LoomTestUnit.h2OnRedis(namespace.namespace(), Map.of("loom.cache.negative-ttl", "7"), true);
    }

    @AfterAll
    static void stop() {
        unit.close();
        namespace.close();
    }

    private static CacheStats shelfStats() {
        return unit.stats("shelf");
    }

    /** The entry keys of shelf lookups by id in this test's namespace. */
    private static List<String> shelfIdKeys() {
        List<String> keys = new ArrayList<>();
        try (Stream<String> s = RedisTestNamespace.client().getKeys()
                .getKeysStreamByPattern(namespace.namespace() + ":*shelf:id:*", 100)) {
            s.forEach(keys::add);
        }
        return keys;
    }

    @Test
    void missingId_isCachedAsNotFoundWithNegativeTtl_untilInsertOfThatId() {
        long id = 777;
        List<String> existing = shelfIdKeys();
        CacheStats before = shelfStats();
        assertTrue(unit.shelves.getById(id).isEmpty());
        assertTrue(unit.shelves.getById(id).isEmpty());
        CacheStats step = shelfStats().minus(before);
        assertEquals(1, step.misses());
        assertEquals(1, step.loads());
        assertEquals(1, step.stores());
        assertEquals(1, step.hits());

        List<String> keys = shelfIdKeys();
        keys.removeAll(existing);
        assertEquals(1, keys.size(), "one new cached lookup: " + keys);
        String key = keys.get(0);
        long pttl = RedisTestNamespace.client().getBucket(key).remainTimeToLive();
        assertTrue(pttl > 0 && pttl <= NEGATIVE_TTL_MS, "PTTL of the not-found entry: " + pttl);

        unit.emf().runInTransaction(em -> em.persist(new Shelf(id, "Appeared")));

        before = shelfStats();
        assertEquals("Appeared", unit.shelves.getById(id).orElseThrow().name());
        assertEquals("Appeared", unit.shelves.getById(id).orElseThrow().name());
        step = shelfStats().minus(before);
        assertEquals(1, step.staleMisses());
        assertEquals(1, step.hits());
        long found = RedisTestNamespace.client().getBucket(key).remainTimeToLive();
        assertTrue(found > NEGATIVE_TTL_MS, "a found row keeps the ordinary TTL, PTTL " + found);
    }

    @Test
    void missingId_insertOfAnotherId_keepsNotFoundCached() {
        long missing = 888;
        unit.shelves.getById(missing);
        unit.emf().runInTransaction(em -> em.persist(new Shelf(889L, "Neighbour")));
        CacheStats before = shelfStats();
        assertTrue(unit.shelves.getById(missing).isEmpty());
        assertEquals(1, shelfStats().minus(before).hits());
    }
}
