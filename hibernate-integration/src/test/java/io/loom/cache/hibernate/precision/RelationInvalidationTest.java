package io.loom.cache.hibernate.precision;

import io.loom.cache.hibernate.e2e.LoomTestUnit;
import io.loom.cache.hibernate.model.Author;
import io.loom.cache.hibernate.model.Book;
import io.loom.cache.hibernate.model.Views.AuthorView;
import io.loom.cache.hibernate.model.Views.BookView;
import io.loom.cache.stats.CacheStats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Relation views and collection changes on real Redis + H2: an Author's {@code with_books} view
 * depends on its books, its default view does not. Each test uses its own authors.
 */
class RelationInvalidationTest {

    private static final String WITH_BOOKS = "with_books";

    private static LoomTestUnit unit;

    @BeforeAll
    static void start() {
        unit = LoomTestUnit.h2OnRedis(RelationInvalidationTest.class);
    }

    @AfterAll
    static void stop() {
        unit.close();
    }

    private static CacheStats authorStats() {
        return unit.stats("author");
    }

    private static long author(int index) {
        return unit.ids.authors().get(index);
    }

    /** Reads every view twice so that all of them are cached; returns the stats before the step to measure. */
    private static void warm(Runnable reads) {
        reads.run();
        CacheStats before = authorStats();
        reads.run();
        assertEquals(0, authorStats().minus(before).misses(), "warm-up must leave every view cached");
    }

    @Test
    void withBooksView_updateOfOwnBook_missesAndDefaultViewStillHits() {
        long mine = author(1);
        long other = author(2);
        Runnable reads = () -> {
            unit.authors.getById(mine, WITH_BOOKS);
            unit.authors.getById(mine);
            unit.authors.getById(other, WITH_BOOKS);
        };
        warm(reads);
        long ownBook = unit.authors.getById(mine, WITH_BOOKS).orElseThrow().books().get(0).id();
        unit.emf().runInTransaction(em -> em.find(Book.class, ownBook).setTitle("Relation rename"));

        CacheStats before = authorStats();
        AuthorView view = unit.authors.getById(mine, WITH_BOOKS).orElseThrow();
        assertTrue(view.books().stream().anyMatch(b -> b.title().equals("Relation rename")));
        unit.authors.getById(mine);
        unit.authors.getById(other, WITH_BOOKS);
        CacheStats step = authorStats().minus(before);
        assertEquals(1, step.misses());
        assertEquals(1, step.staleMisses());
        assertEquals(2, step.hits());
    }

    @Test
    void withBooksView_updateOfAnotherAuthorsBook_keepsEverythingCached() {
        long mine = author(1);
        long stranger = author(3);
        Runnable reads = () -> {
            unit.authors.getById(mine, WITH_BOOKS);
            unit.authors.getById(mine);
        };
        warm(reads);
        long strangersBook = unit.authors.getById(stranger, WITH_BOOKS).orElseThrow().books().get(0).id();
        unit.emf().runInTransaction(em -> em.find(Book.class, strangersBook).setTitle("Not my book"));

        CacheStats before = authorStats();
        reads.run();
        CacheStats step = authorStats().minus(before);
        assertEquals(0, step.misses());
        assertEquals(2, step.hits());
    }

    @Test
    void insertOfBookWithAuthor_missesOnlyThatAuthorsWithBooksView() {
        long target = author(4);
        long bystander = author(5);
        Runnable reads = () -> {
            unit.authors.getById(target, WITH_BOOKS);
            unit.authors.getById(target);
            unit.authors.getById(bystander, WITH_BOOKS);
        };
        warm(reads);
        int booksBefore = unit.authors.getById(target, WITH_BOOKS).orElseThrow().books().size();
        unit.emf().runInTransaction(em -> em.persist(new Book("Collection insert", "crime", 2020,
                new BigDecimal("3.50"), 4.0, "isbn-rel-1", em.getReference(Author.class, target), null)));

        CacheStats before = authorStats();
        assertEquals(booksBefore + 1, unit.authors.getById(target, WITH_BOOKS).orElseThrow().books().size());
        unit.authors.getById(target);
        unit.authors.getById(bystander, WITH_BOOKS);
        CacheStats step = authorStats().minus(before);
        assertEquals(1, step.staleMisses());
        assertEquals(1, step.misses());
        assertEquals(2, step.hits());
    }

    @Test
    void addThroughOwnerCollection_missesOnlyThatAuthorsWithBooksView() {
        long target = author(0);
        long bystander = author(5);
        Runnable reads = () -> {
            unit.authors.getById(target, WITH_BOOKS);
            unit.authors.getById(target);
            unit.authors.getById(bystander, WITH_BOOKS);
        };
        warm(reads);
        unit.emf().runInTransaction(em -> {
            Author owner = em.find(Author.class, target);
            Book book = new Book("Added to collection", "history", 1999, new BigDecimal("2.00"), null,
                    "isbn-rel-2", owner, null);
            owner.getBooks().add(book);
            em.persist(book);
        });

        CacheStats before = authorStats();
        assertTrue(unit.authors.getById(target, WITH_BOOKS).orElseThrow().books().stream()
                .anyMatch(b -> b.title().equals("Added to collection")));
        unit.authors.getById(target);
        unit.authors.getById(bystander, WITH_BOOKS);
        CacheStats step = authorStats().minus(before);
        assertEquals(1, step.misses());
        assertEquals(2, step.hits());
    }

    @Test
    void moveOfBookBetweenAuthors_missesBothWithBooksViewsOnly() {
        long from = author(2);
        long to = author(3);
        long bystander = author(5);
        Runnable reads = () -> {
            unit.authors.getById(from, WITH_BOOKS);
            unit.authors.getById(to, WITH_BOOKS);
            unit.authors.getById(bystander, WITH_BOOKS);
            unit.authors.getById(from);
            unit.authors.getById(to);
        };
        warm(reads);
        BookView moving = unit.authors.getById(from, WITH_BOOKS).orElseThrow().books().get(0);
        unit.emf().runInTransaction(em -> em.find(Book.class, moving.id()).setAuthor(em.getReference(Author.class, to)));

        CacheStats before = authorStats();
        assertFalse(unit.authors.getById(from, WITH_BOOKS).orElseThrow().books().stream()
                .anyMatch(b -> b.id().equals(moving.id())));
        assertTrue(unit.authors.getById(to, WITH_BOOKS).orElseThrow().books().stream()
                .anyMatch(b -> b.id().equals(moving.id())));
        unit.authors.getById(bystander, WITH_BOOKS);
        unit.authors.getById(from);
        unit.authors.getById(to);
        CacheStats step = authorStats().minus(before);
        assertEquals(2, step.misses());
        assertEquals(2, step.staleMisses());
        assertEquals(3, step.hits());
    }

    /** Regression: a relation view used to depend on its related rows but not on their entity-wide tag. */
    @Test
    void wholeEntityInvalidationOfRelatedEntity_missesViewsHoldingItsRows() {
        long mine = author(4);
        Runnable reads = () -> {
            unit.authors.getById(mine, WITH_BOOKS);
            unit.authors.getById(mine);
        };
        warm(reads);
        unit.cache().invalidate(Book.class);

        CacheStats before = authorStats();
        reads.run();
        CacheStats step = authorStats().minus(before);
        assertEquals(1, step.staleMisses());
        assertEquals(1, step.hits());
    }
}
