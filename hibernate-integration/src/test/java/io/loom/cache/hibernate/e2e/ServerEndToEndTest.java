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
import org.junit.jupiter.api.TestInstance;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The end-to-end path on a database server (a private schema or database, see the subclasses)
 * and the shared Redis.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServerEndToEndTest {

    private RedisTestNamespace namespace;
    private LoomTestUnit unit;

    /** A seeded unit on the server whose cache lives on {@code namespace}. */
    protected abstract LoomTestUnit open(String namespace);

    /** The server's name, for the values the tests write. */
    protected abstract String server();

    @BeforeAll
    void start() {
        namespace = RedisTestNamespace.create(getClass());
        unit = open(namespace.namespace());
    }

    @AfterAll
    void stop() {
        try {
            unit.close();
        } finally {
            namespace.close();
        }
    }

    @Test
    void getById_missThenHit_thenFreshAfterUpdateThroughPlainEntityManager() {
        long id = unit.bookId(0);
        CacheStats before = unit.stats("book");
        BookView first = unit.books.getById(id).orElseThrow();
        assertEquals(first, unit.books.getById(id).orElseThrow());
        CacheStats warm = unit.stats("book").minus(before);
        assertEquals(1, warm.misses());
        assertEquals(1, warm.hits());

        unit.emf().runInTransaction(em -> em.find(Book.class, id).setTitle("Renamed on " + server()));

        CacheStats afterUpdate = unit.stats("book");
        assertEquals("Renamed on " + server(), unit.books.getById(id).orElseThrow().title());
        assertEquals(1, unit.stats("book").minus(afterUpdate).staleMisses());
    }

    @Test
    void offsetList_invalidatedByInsert() {
        QuerySpec spec = QuerySpec.where("genre").eq("history").orderBy("title").page(1, 50);
        PageResult<BookView> first = (PageResult<BookView>) unit.books.listWithQuery(spec);
        CacheStats before = unit.stats("book");
        assertEquals(first, unit.books.listWithQuery(spec));
        assertEquals(1, unit.stats("book").minus(before).hits());

        BookView created = unit.books.create(new BookCreate("Inserted on " + server(), "history", 1999,
                new BigDecimal("12.00"), 3.5, "isbn-e2e-1", unit.ids.authors().get(0), null));

        PageResult<BookView> after = (PageResult<BookView>) unit.books.listWithQuery(spec);
        assertEquals(first.total() + 1, after.total());
        assertTrue(after.items().stream().anyMatch(b -> b.id().equals(created.id())));
    }
}
