package io.loom.cache.hibernate.declarative;

import io.loom.cache.hibernate.e2e.LoomTestUnit;
import io.loom.cache.hibernate.model.Book;
import io.loom.cache.hibernate.model.Views.BookCreate;
import io.loom.cache.hibernate.model.Views.BookView;
import io.loom.cache.stats.CacheStats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code @CacheQuery} methods on real Redis + H2: miss, hit, committed write, miss. */
class DeclarativeCachingEndToEndTest {

    private static LoomTestUnit unit;
    private static JpaBookQueries target;
    private static BookQueries queries;

    @BeforeAll
    static void start() {
        unit = LoomTestUnit.h2OnRedis(DeclarativeCachingEndToEndTest.class);
        target = new JpaBookQueries(unit.emf());
        queries = unit.cache().wrapDeclared(BookQueries.class, target);
    }

    @AfterAll
    static void stop() {
        unit.close();
    }

    private static CacheStats books() {
        return unit.stats("book");
    }

    private static BookView insert(String title, String genre, String isbn) {
        return unit.books.create(new BookCreate(title, genre, 2020, new BigDecimal("3.00"), null, isbn,
                unit.ids.authors().get(0), null));
    }

    private static void rename(long id, String title) {
        unit.emf().runInTransaction(em -> em.find(Book.class, id).setTitle(title));
    }

    @Test
    void listQuery_missHitInsertMiss() {
        CacheStats start = books();
        List<BookView> first = queries.byGenre("poetry");
        assertEquals(1, books().minus(start).misses());

        assertEquals(first, queries.byGenre("poetry"));
        CacheStats afterHit = books().minus(start);
        assertEquals(1, afterHit.hits());
        assertEquals(1, afterHit.loads());

        BookView added = insert("New poems", "poetry", "isbn-decl-list");
        List<BookView> afterInsert = queries.byGenre("poetry");
        CacheStats step = books().minus(start);
        assertEquals(2, step.misses());
        assertEquals(1, step.staleMisses());
        assertEquals(first.size() + 1, afterInsert.size());
        assertTrue(afterInsert.stream().anyMatch(b -> b.id().equals(added.id())));

        assertEquals(afterInsert, queries.byGenre("poetry"));
        assertEquals(2, books().minus(start).hits());
    }

    @Test
    void listQuery_otherArguments_areOtherEntries() {
        queries.byGenre("drama");
        CacheStats start = books();
        queries.byGenre("drama");
        queries.byGenre("satire");
        CacheStats step = books().minus(start);
        assertEquals(1, step.hits());
        assertEquals(1, step.misses());
    }

    @Test
    void singleQuery_missHitOtherRowWriteHitOwnRowWriteMiss() {
        BookView book = insert("Single target", "essay", "isbn-decl-single");
        BookView other = insert("Single bystander", "essay", "isbn-decl-other");
        CacheStats start = books();
        assertEquals(book, queries.byIsbn("isbn-decl-single").orElseThrow());
        assertEquals(book, queries.byIsbn("isbn-decl-single").orElseThrow());
        CacheStats warmed = books().minus(start);
        assertEquals(1, warmed.misses());
        assertEquals(1, warmed.hits());

        rename(other.id(), "Bystander renamed");
        queries.byIsbn("isbn-decl-single");
        assertEquals(2, books().minus(start).hits());

        rename(book.id(), "Target renamed");
        assertEquals("Target renamed", queries.byIsbn("isbn-decl-single").orElseThrow().title());
        CacheStats step = books().minus(start);
        assertEquals(2, step.misses());
        assertEquals(1, step.staleMisses());
        assertEquals(2, step.hits());
    }

    @Test
    void singleQuery_notFound_isCachedUntilInsert() {
        CacheStats start = books();
        assertEquals(Optional.empty(), queries.byIsbn("isbn-decl-later"));
        assertEquals(Optional.empty(), queries.byIsbn("isbn-decl-later"));
        assertEquals(1, books().minus(start).hits());

        BookView added = insert("Arrives later", "essay", "isbn-decl-later");
        assertEquals(added, queries.byIsbn("isbn-decl-later").orElseThrow());
        CacheStats step = books().minus(start);
        assertEquals(2, step.misses());
        assertEquals(1, step.staleMisses());
    }

    @Test
    void unannotatedMethod_passesThroughEveryTime() {
        CacheStats start = books();
        int calls = target.calls.get();
        long count = queries.countByGenre("crime");
        assertEquals(count, queries.countByGenre("crime"));
        assertEquals(calls + 4, target.calls.get()); // countByGenre calls byGenre on the target itself
        CacheStats step = books().minus(start);
        assertEquals(0, step.hits());
        assertEquals(0, step.misses());
    }
}
