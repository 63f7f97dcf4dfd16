package io.loom.cache.hibernate.bulk;

import io.loom.cache.hibernate.e2e.LoomTestUnit;
import io.loom.cache.hibernate.model.Book;
import io.loom.cache.hibernate.model.Views.BookCreate;
import io.loom.cache.hibernate.model.Views.BookView;
import io.loom.cache.repository.QuerySpec;
import io.loom.cache.stats.CacheStats;
import jakarta.persistence.EntityManager;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaUpdate;
import jakarta.persistence.criteria.Root;
import org.hibernate.query.NativeQuery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.UUID;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bulk JPQL/Criteria and native mutations on real Redis + H2: they fire no entity events, yet the
 * entities they touch miss entirely once their transaction commits, in the transaction's one bump.
 */
class BulkMutationEndToEndTest {

    private static LoomTestUnit unit;

    @BeforeAll
    static void start() {
        unit = LoomTestUnit.h2OnRedis(BulkMutationEndToEndTest.class);
    }

    @AfterAll
    static void stop() {
        unit.close();
    }

    private static CacheStats books() {
        return unit.stats("book");
    }

    private static CacheStats authors() {
        return unit.stats("author");
    }

    private static void inTransaction(Consumer<EntityManager> work) {
        unit.emf().runInTransaction(work);
    }

    /** Reads book {@code index} and author 0 twice so both are cached; returns the book. */
    private static BookView warm(int index) {
        unit.books.getById(unit.bookId(index));
        unit.authors.getById(unit.ids.authors().get(0));
        return unit.books.getById(unit.bookId(index)).orElseThrow();
    }

    private static long newBook(String title) {
        return unit.books.create(new BookCreate(title, "bulk", 1999, new BigDecimal("5.00"), null,
                "isbn-" + UUID.randomUUID(), unit.ids.authors().get(0), null)).id();
    }

    @Test
    void bulkJpqlUpdate_afterCommit_everyBookEntryMissesAndOtherEntitiesHit() {
        BookView before = warm(0);
        QuerySpec crime = QuerySpec.where("genre").eq(before.genre()).page(1, 20);
        unit.books.listWithQuery(crime);
        CacheStats start = books();
        CacheStats authorsStart = authors();

        inTransaction(em -> em.createQuery("update Book b set b.title = concat(b.title, ' (2nd ed.)') where b.id = :id")
                .setParameter("id", before.id()).executeUpdate());

        assertEquals(before.title() + " (2nd ed.)", unit.books.getById(before.id()).orElseThrow().title());
        unit.books.listWithQuery(crime);
        CacheStats step = books().minus(start);
        assertEquals(0, step.hits());
        assertEquals(2, step.staleMisses());
        unit.authors.getById(unit.ids.authors().get(0));
        assertEquals(1, authors().minus(authorsStart).hits());
        assertEquals(0, authors().minus(authorsStart).misses());
    }

    @Test
    void bulkJpqlDelete_afterCommit_cachedRowIsGone() {
        long id = newBook("Bulk delete victim");
        unit.books.getById(id);
        CacheStats start = books();
        assertTrue(unit.books.getById(id).isPresent());
        assertEquals(1, books().minus(start).hits());

        inTransaction(em -> assertEquals(1, em.createQuery("delete from Book b where b.id = :id")
                .setParameter("id", id).executeUpdate()));

        assertTrue(unit.books.getById(id).isEmpty());
        CacheStats step = books().minus(start);
        assertEquals(1, step.staleMisses());
        assertEquals(1, step.loads());
    }

    @Test
    void criteriaUpdate_afterCommit_bookEntryMisses() {
        BookView before = warm(1);
        CacheStats start = books();

        inTransaction(em -> {
            CriteriaBuilder cb = em.getCriteriaBuilder();
            CriteriaUpdate<Book> update = cb.createCriteriaUpdate(Book.class);
            Root<Book> book = update.from(Book.class);
            update.set(book.<String>get("title"), "Criteria title").where(cb.equal(book.get("id"), before.id()));
            em.createQuery(update).executeUpdate();
        });

        assertEquals("Criteria title", unit.books.getById(before.id()).orElseThrow().title());
        CacheStats step = books().minus(start);
        assertEquals(1, step.staleMisses());
        assertEquals(0, step.hits());
    }

    @Test
    void nativeUpdateWithSynchronizedEntity_afterCommit_onlyThatEntityMisses() {
        BookView before = warm(2);
        CacheStats start = books();
        CacheStats authorsStart = authors();

        inTransaction(em -> em.createNativeQuery("update book set title = 'Native title' where id = ?1")
                .setParameter(1, before.id())
                .unwrap(NativeQuery.class).addSynchronizedEntityClass(Book.class)
                .executeUpdate());

        assertEquals("Native title", unit.books.getById(before.id()).orElseThrow().title());
        assertEquals(1, books().minus(start).staleMisses());
        unit.authors.getById(unit.ids.authors().get(0));
        assertEquals(1, authors().minus(authorsStart).hits());
    }

    @Test
    void nativeUpdateDeclaringNothing_afterCommit_everyEntityMisses() {
        BookView before = warm(3);
        CacheStats start = books();
        CacheStats authorsStart = authors();

        inTransaction(em -> em.createNativeQuery("update book set title = 'Undeclared' where id = ?1")
                .setParameter(1, before.id()).executeUpdate());

        assertEquals("Undeclared", unit.books.getById(before.id()).orElseThrow().title());
        assertEquals(1, books().minus(start).staleMisses());
        unit.authors.getById(unit.ids.authors().get(0));
        assertEquals(1, authors().minus(authorsStart).staleMisses());
    }

    @Test
    void bulkUpdateRolledBack_bumpsNothing() {
        BookView before = warm(4);
        CacheStats start = books();
        long bumps = unit.cache().stats().bumps();
        EntityManager em = unit.emf().createEntityManager();
        try {
            em.getTransaction().begin();
            em.createQuery("update Book b set b.title = 'never' where b.id = :id")
                    .setParameter("id", before.id()).executeUpdate();
            em.getTransaction().rollback();
        } finally {
            em.close();
        }

        assertEquals(before, unit.books.getById(before.id()).orElseThrow());
        assertEquals(1, books().minus(start).hits());
        assertEquals(bumps, unit.cache().stats().bumps());
    }

    @Test
    void bulkUpdateAndEntityWriteInOneTransaction_publishOneBump() {
        BookView before = warm(5);
        long bumps = unit.cache().stats().bumps();

        inTransaction(em -> {
            em.find(Book.class, unit.bookId(8)).setTitle("Renamed in bulk transaction");
            em.createQuery("update Book b set b.rating = 1.5 where b.id = :id")
                    .setParameter("id", before.id()).executeUpdate();
        });

        assertEquals(bumps + 1, unit.cache().stats().bumps());
        assertEquals(1.5, unit.books.getById(before.id()).orElseThrow().rating());
    }

    @Test
    void entityWrites_stayRowPrecise_otherCachedBooksStillHit() {
        BookView untouched = warm(6);
        long other = unit.bookId(7);
        unit.books.getById(other);
        CacheStats start = books();

        // a flushed update and an identity insert also reach the timestamps, but are not bulk
        inTransaction(em -> em.find(Book.class, other).setTitle("Row-precise rename"));
        newBook("Identity insert");

        assertEquals(untouched, unit.books.getById(untouched.id()).orElseThrow());
        CacheStats step = books().minus(start);
        assertEquals(1, step.hits());
        assertEquals(0, step.misses());
    }
}
