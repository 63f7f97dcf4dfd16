package io.loom.cache.hibernate.invalidation;

import io.loom.cache.hibernate.LoomHibernate;
import io.loom.cache.hibernate.e2e.LoomTestUnit;
import io.loom.cache.hibernate.model.Book;
import io.loom.cache.hibernate.model.Views.BookView;
import io.loom.cache.repository.QuerySpec;
import io.loom.cache.stats.CacheStats;
import jakarta.persistence.EntityManager;
import org.hibernate.Session;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Writes Hibernate cannot see (raw JDBC) and the explicit invalidation API: immediate outside a
 * transaction, deferred to commit (nothing on rollback) inside one.
 */
class ExplicitInvalidationEndToEndTest {

    private static LoomTestUnit unit;

    @BeforeAll
    static void start() {
        unit = LoomTestUnit.h2OnRedis(ExplicitInvalidationEndToEndTest.class);
    }

    @AfterAll
    static void stop() {
        unit.close();
    }

    private static CacheStats books() {
        return unit.stats("book");
    }

    private static void rawRename(EntityManager em, long id, String title) {
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement update = connection.prepareStatement("update book set title = ? where id = ?")) {
                update.setString(1, title);
                update.setLong(2, id);
                update.executeUpdate();
            }
        });
    }

    private static void rawRenameCommitted(long id, String title) {
        unit.emf().runInTransaction(em -> rawRename(em, id, title));
    }

    private static BookView cached(int index) {
        unit.books.getById(unit.bookId(index));
        return unit.books.getById(unit.bookId(index)).orElseThrow();
    }

    @Test
    void rawJdbcUpdate_thenRowInvalidate_outsideTransaction_readsFreshRow() {
        BookView before = cached(0);
        rawRenameCommitted(before.id(), "Raw JDBC title");
        CacheStats start = books();
        assertEquals(before, unit.books.getById(before.id()).orElseThrow()); // unseen write: still cached
        assertEquals(1, books().minus(start).hits());

        LoomHibernate.invalidate(unit.emf(), Book.class, before.id());

        assertEquals("Raw JDBC title", unit.books.getById(before.id()).orElseThrow().title());
        CacheStats step = books().minus(start);
        assertEquals(1, step.staleMisses());
        assertEquals(1, step.loads());
    }

    @Test
    void rawJdbcUpdate_thenEntityInvalidate_outsideTransaction_listsAndRowsMiss() {
        BookView before = cached(1);
        QuerySpec genre = QuerySpec.where("genre").eq(before.genre()).page(1, 50);
        unit.books.listWithQuery(genre);
        rawRenameCommitted(before.id(), "Raw JDBC list title");
        CacheStats start = books();

        LoomHibernate.invalidate(unit.emf(), Book.class);

        assertEquals("Raw JDBC list title", unit.books.getById(before.id()).orElseThrow().title());
        unit.books.listWithQuery(genre);
        CacheStats step = books().minus(start);
        assertEquals(2, step.staleMisses());
        assertEquals(0, step.hits());
    }

    @Test
    void invalidateInsideTransaction_takesEffectAtCommit() {
        BookView before = cached(2);
        CacheStats start = books();
        EntityManager em = unit.emf().createEntityManager();
        try {
            em.getTransaction().begin();
            rawRename(em, before.id(), "Renamed in transaction");
            LoomHibernate.invalidate(em, Book.class, before.id());
            // not committed yet: the entry stays valid (a reader re-caching now would cache the old row)
            assertEquals(before, unit.books.getById(before.id()).orElseThrow());
            assertEquals(1, books().minus(start).hits());
            em.getTransaction().commit();
        } finally {
            em.close();
        }
        assertEquals("Renamed in transaction", unit.books.getById(before.id()).orElseThrow().title());
        assertEquals(1, books().minus(start).staleMisses());
    }

    @Test
    void entityInvalidateInsideTransaction_rolledBack_bumpsNothing() {
        BookView before = cached(3);
        long bumps = unit.cache().stats().bumps();
        EntityManager em = unit.emf().createEntityManager();
        try {
            em.getTransaction().begin();
            rawRename(em, before.id(), "Never committed");
            LoomHibernate.invalidate(em, Book.class);
            em.getTransaction().rollback();
        } finally {
            em.close();
        }
        CacheStats start = books();
        assertEquals(before, unit.books.getById(before.id()).orElseThrow());
        assertEquals(1, books().minus(start).hits());
        assertEquals(bumps, unit.cache().stats().bumps());
    }

    @Test
    void invalidateWithEntityManagerOutsideTransaction_isImmediate() {
        BookView before = cached(4);
        rawRenameCommitted(before.id(), "Immediate title");
        EntityManager em = unit.emf().createEntityManager();
        try {
            LoomHibernate.invalidate(em, Book.class, before.id());
        } finally {
            em.close();
        }
        CacheStats start = books();
        assertEquals("Immediate title", unit.books.getById(before.id()).orElseThrow().title());
        assertEquals(1, books().minus(start).staleMisses());
    }
}
