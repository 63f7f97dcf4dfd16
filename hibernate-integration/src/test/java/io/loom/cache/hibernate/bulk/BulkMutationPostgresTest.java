package io.loom.cache.hibernate.bulk;

import io.loom.cache.cached.CacheStats;
import io.loom.cache.hibernate.e2e.LoomTestUnit;
import io.loom.cache.hibernate.model.Book;
import io.loom.cache.hibernate.model.Views.BookView;
import io.loom.cache.testing.RedisTestNamespace;
import org.hibernate.query.NativeQuery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Bulk and native mutations on PostgreSQL, where the tables live in a non-default schema. */
class BulkMutationPostgresTest {

    private static RedisTestNamespace namespace;
    private static LoomTestUnit unit;

    @BeforeAll
    static void start() {
        namespace = RedisTestNamespace.create(BulkMutationPostgresTest.class);
        unit = LoomTestUnit.postgresOnRedis("loom_bulk", namespace.namespace());
    }

    @AfterAll
    static void stop() {
        unit.close();
        namespace.close();
    }

    private static BookView warm(int index) {
        unit.books.getById(unit.bookId(index));
        unit.authors.getById(unit.ids.authors().get(0));
        return unit.books.getById(unit.bookId(index)).orElseThrow();
    }

    @Test
    void bulkJpqlUpdate_inSchema_bookEntriesMissAuthorsHit() {
        BookView before = warm(0);
        CacheStats books = unit.stats("book");
        CacheStats authors = unit.stats("author");
        unit.emf().runInTransaction(em -> em.createQuery("update Book b set b.title = 'PG bulk' where b.id = :id")
                .setParameter("id", before.id()).executeUpdate());
        assertEquals("PG bulk", unit.books.getById(before.id()).orElseThrow().title());
        unit.authors.getById(unit.ids.authors().get(0));
        assertEquals(1, unit.stats("book").minus(books).staleMisses());
        assertEquals(1, unit.stats("author").minus(authors).hits());
    }

    @Test
    void nativeUpdateWithSynchronizedEntity_inSchema_bookEntriesMiss() {
        BookView before = warm(1);
        CacheStats books = unit.stats("book");
        CacheStats authors = unit.stats("author");
        unit.emf().runInTransaction(em -> em.createNativeQuery("update book set title = 'PG native' where id = ?1")
                .setParameter(1, before.id()).unwrap(NativeQuery.class)
                .addSynchronizedEntityClass(Book.class).executeUpdate());
        assertEquals("PG native", unit.books.getById(before.id()).orElseThrow().title());
        unit.authors.getById(unit.ids.authors().get(0));
        assertEquals(1, unit.stats("book").minus(books).staleMisses());
        assertEquals(1, unit.stats("author").minus(authors).hits());
    }

    @Test
    void nativeUpdateDeclaringNothing_inSchema_everyEntityMisses() {
        BookView before = warm(2);
        CacheStats authors = unit.stats("author");
        unit.emf().runInTransaction(em -> em.createNativeQuery("update book set title = 'PG undeclared' where id = ?1")
                .setParameter(1, before.id()).executeUpdate());
        assertEquals("PG undeclared", unit.books.getById(before.id()).orElseThrow().title());
        unit.authors.getById(unit.ids.authors().get(0));
        assertEquals(1, unit.stats("author").minus(authors).staleMisses());
    }
}
