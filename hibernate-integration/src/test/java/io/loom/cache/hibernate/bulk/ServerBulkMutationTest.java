package io.loom.cache.hibernate.bulk;

import io.loom.cache.hibernate.e2e.LoomTestUnit;
import io.loom.cache.hibernate.model.Book;
import io.loom.cache.hibernate.model.Views.BookView;
import io.loom.cache.stats.CacheStats;
import io.loom.cache.testing.RedisTestNamespace;
import org.hibernate.query.NativeQuery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Bulk and native mutations on a database server (see the subclasses), where the tables live in a
 * private schema or database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServerBulkMutationTest {

    private RedisTestNamespace namespace;
    private LoomTestUnit unit;

    /** A seeded unit on the server whose cache lives on {@code namespace}. */
    protected abstract LoomTestUnit open(String namespace);

    @BeforeAll
    void start() {
        namespace = RedisTestNamespace.create(getClass());
        unit = open(namespace.namespace());
    }

    @AfterAll
    void stop() {
        unit.close();
        namespace.close();
    }

    private BookView warm(int index) {
        unit.books.getById(unit.bookId(index));
        unit.authors.getById(unit.ids.authors().get(0));
        return unit.books.getById(unit.bookId(index)).orElseThrow();
    }

    @Test
    void bulkJpqlUpdate_inPrivateSchema_bookEntriesMissAuthorsHit() {
        BookView before = warm(0);
        CacheStats books = unit.stats("book");
        CacheStats authors = unit.stats("author");
        unit.emf().runInTransaction(em -> em.createQuery("update Book b set b.title = 'Server bulk' where b.id = :id")
                .setParameter("id", before.id()).executeUpdate());
        assertEquals("Server bulk", unit.books.getById(before.id()).orElseThrow().title());
        unit.authors.getById(unit.ids.authors().get(0));
        assertEquals(1, unit.stats("book").minus(books).staleMisses());
        assertEquals(1, unit.stats("author").minus(authors).hits());
    }

    @Test
    void nativeUpdateWithSynchronizedEntity_inPrivateSchema_bookEntriesMiss() {
        BookView before = warm(1);
        CacheStats books = unit.stats("book");
        CacheStats authors = unit.stats("author");
        unit.emf().runInTransaction(em -> em.createNativeQuery("update book set title = 'Server native' where id = ?1")
                .setParameter(1, before.id()).unwrap(NativeQuery.class)
                .addSynchronizedEntityClass(Book.class).executeUpdate());
        assertEquals("Server native", unit.books.getById(before.id()).orElseThrow().title());
        unit.authors.getById(unit.ids.authors().get(0));
        assertEquals(1, unit.stats("book").minus(books).staleMisses());
        assertEquals(1, unit.stats("author").minus(authors).hits());
    }

    @Test
    void nativeUpdateDeclaringNothing_inPrivateSchema_everyEntityMisses() {
        BookView before = warm(2);
        CacheStats authors = unit.stats("author");
        unit.emf().runInTransaction(em -> em.createNativeQuery("update book set title = 'Server undeclared' where id = ?1")
                .setParameter(1, before.id()).executeUpdate());
        assertEquals("Server undeclared", unit.books.getById(before.id()).orElseThrow().title());
        unit.authors.getById(unit.ids.authors().get(0));
        assertEquals(1, unit.stats("author").minus(authors).staleMisses());
    }
}
