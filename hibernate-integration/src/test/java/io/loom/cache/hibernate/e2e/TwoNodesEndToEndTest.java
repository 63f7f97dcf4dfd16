package io.loom.cache.hibernate.e2e;

import io.loom.cache.hibernate.model.Book;
import io.loom.cache.hibernate.model.Views.BookCreate;
import io.loom.cache.hibernate.model.Views.BookView;
import io.loom.cache.repository.PageResult;
import io.loom.cache.repository.QuerySpec;
import io.loom.cache.stats.CacheStats;
import io.loom.cache.testing.RedisTestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two nodes (two EntityManagerFactories, two Redisson clients) on one database and one Redis
 * namespace: a write committed on one node is invisible to neither node's cache once commit()
 * has returned.
 */
class TwoNodesEndToEndTest {

    private static RedisTestNamespace namespace;
    private static TwoNodes nodes;

    @BeforeAll
    static void start() {
        namespace = RedisTestNamespace.create(TwoNodesEndToEndTest.class);
        nodes = TwoNodes.start(namespace.namespace());
    }

    @AfterAll
    static void stop() {
        nodes.close();
        namespace.close();
    }

    private static void rename(LoomTestUnit node, long id, String title) {
        node.emf().runInTransaction(em -> em.find(Book.class, id).setTitle(title));
    }

    @Test
    void nodes_areSeparateUnitsWithSeparateCaches() {
        assertNotSame(nodes.a.emf(), nodes.b.emf());
        assertNotSame(nodes.a.cache(), nodes.b.cache());
    }

    @Test
    void getById_cachedOnA_updatedThroughPlainEntityManagerOnB_nextReadOnAIsFresh() {
        long id = nodes.bookId(3);
        nodes.a.books.getById(id);
        CacheStats warm = nodes.a.stats("book");
        nodes.a.books.getById(id);
        assertEquals(1, nodes.a.stats("book").minus(warm).hits());

        rename(nodes.b, id, "Renamed on B");

        CacheStats before = nodes.a.stats("book");
        assertEquals("Renamed on B", nodes.a.books.getById(id).orElseThrow().title());
        CacheStats step = nodes.a.stats("book").minus(before);
        assertEquals(1, step.staleMisses());
        assertEquals(1, step.loads());
    }

    @Test
    void getById_cachedOnB_updatedThroughPlainEntityManagerOnA_nextReadOnBIsFresh() {
        long id = nodes.bookId(4);
        nodes.b.books.getById(id);
        CacheStats warm = nodes.b.stats("book");
        nodes.b.books.getById(id);
        assertEquals(1, nodes.b.stats("book").minus(warm).hits());

        rename(nodes.a, id, "Renamed on A");

        CacheStats before = nodes.b.stats("book");
        assertEquals("Renamed on A", nodes.b.books.getById(id).orElseThrow().title());
        assertEquals(1, nodes.b.stats("book").minus(before).staleMisses());
    }

    @Test
    void entryStoredByA_isAHitOnB_untilAWriteOnEitherNode() {
        long id = nodes.bookId(5);
        BookView stored = nodes.a.books.getById(id).orElseThrow();
        CacheStats before = nodes.b.stats("book");
        assertEquals(stored, nodes.b.books.getById(id).orElseThrow());
        assertEquals(1, nodes.b.stats("book").minus(before).hits());

        rename(nodes.a, id, "Renamed on A again");
        assertEquals("Renamed on A again", nodes.b.books.getById(id).orElseThrow().title());
        assertEquals("Renamed on A again", nodes.a.books.getById(id).orElseThrow().title());
    }

    @Test
    void listCachedOnA_invalidatedByInsertOnB() {
        QuerySpec spec = QuerySpec.where("genre").eq("scifi").orderBy("title").page(1, 50);
        PageResult<BookView> first = (PageResult<BookView>) nodes.a.books.listWithQuery(spec);
        CacheStats warm = nodes.a.stats("book");
        nodes.a.books.listWithQuery(spec);
        assertEquals(1, nodes.a.stats("book").minus(warm).hits());

        BookView created = nodes.b.books.create(new BookCreate("Inserted on B", "scifi", 2020,
                new BigDecimal("3.50"), null, "isbn-two-nodes-1", nodes.a.ids.authors().get(0), null));

        PageResult<BookView> after = (PageResult<BookView>) nodes.a.books.listWithQuery(spec);
        assertEquals(first.total() + 1, after.total());
        assertTrue(after.items().stream().anyMatch(b -> b.id().equals(created.id())));
    }
}
