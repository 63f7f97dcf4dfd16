package io.loom.cache.hibernate.reliability;

import io.loom.cache.hibernate.e2e.LoomTestUnit;
import io.loom.cache.hibernate.model.Book;
import io.loom.cache.hibernate.model.Views.BookView;
import io.loom.cache.repository.PageResult;
import io.loom.cache.repository.QuerySpec;
import io.loom.cache.stats.CacheStats;
import io.loom.cache.testing.RedisClusterProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Read, update, fresh read on a local three-master Redis Cluster (hash-tag namespace). */
class ClusterEndToEndTest {

    private static RedisClusterProcess cluster;
    private static LoomTestUnit unit;

    @BeforeAll
    static void start() {
        cluster = RedisClusterProcess.start();
        Map<String, Object> props = new HashMap<>();
        props.put("loom.cache.backends.default.type", "redis");
        props.put("loom.cache.backends.default.serializer", "msgpack");
        props.put("loom.cache.backends.default.redisson-config", cluster.redissonConfig());
        props.put("loom.cache.backends.default.namespace", "{library}");
        unit = LoomTestUnit.h2(props);
    }

    @AfterAll
    static void stop() {
        if (unit != null) {
            unit.close();
        }
        cluster.close();
    }

    @Test
    void getById_readUpdateRead_onCluster_servesFreshValue() {
        long id = unit.bookId(5);
        CacheStats before = unit.stats("book");
        BookView first = unit.books.getById(id).orElseThrow();
        assertEquals(first, unit.books.getById(id).orElseThrow());
        unit.emf().runInTransaction(em -> em.find(Book.class, id).setTitle("Clustered"));
        assertEquals("Clustered", unit.books.getById(id).orElseThrow().title());
        assertEquals("Clustered", unit.books.getById(id).orElseThrow().title());
        CacheStats step = unit.stats("book").minus(before);
        assertEquals(2, step.hits());
        assertEquals(2, step.misses());
        assertEquals(1, step.staleMisses());
        assertEquals(0, step.fallbacks() + step.bypasses(), "no cache operation failed: " + step);
        assertEquals(0, unit.cache().pendingInvalidations());
    }

    @Test
    void list_invalidatedByUpdateOnCluster() {
        QuerySpec spec = QuerySpec.where("genre").eq("crime").orderBy("title").page(1, 50);
        PageResult<BookView> page = (PageResult<BookView>) unit.books.listWithQuery(spec);
        BookView row = page.items().get(0);
        unit.emf().runInTransaction(em -> em.find(Book.class, row.id()).setTitle("Aa first crime"));
        PageResult<BookView> after = (PageResult<BookView>) unit.books.listWithQuery(spec);
        assertTrue(after.items().stream().anyMatch(b -> b.title().equals("Aa first crime")));
        assertEquals(0, unit.stats("book").fallbacks());
    }
}
