package io.loom.cache.hibernate.precision;

import io.loom.cache.hibernate.e2e.LoomTestUnit;
import io.loom.cache.hibernate.model.Author;
import io.loom.cache.hibernate.model.Book;
import io.loom.cache.hibernate.model.Views.BookView;
import io.loom.cache.repository.CursorResult;
import io.loom.cache.repository.ListResult;
import io.loom.cache.repository.QuerySpec;
import io.loom.cache.stats.CacheStats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which cached book lists a single committed write makes miss, and which stay hits. Every step
 * checks the cached result against the database as well as the hit/miss counts.
 */
class ListPrecisionTest {

    private static LoomTestUnit unit;

    @BeforeAll
    static void start() {
        unit = LoomTestUnit.h2OnRedis(ListPrecisionTest.class);
    }

    @AfterAll
    static void stop() {
        unit.close();
    }

    /** Seeded book {@code i} (1-based, see LibrarySeed). */
    private static long book(int i) {
        return unit.ids.books().get(i - 1);
    }

    private static ListResult<BookView> cached(QuerySpec spec) {
        return unit.books.listWithQuery(spec);
    }

    private static ListResult<BookView> database(QuerySpec spec) {
        return ((io.loom.cache.CachedRepository<BookView, ?, ?, Long>) unit.books).delegate().listWithQuery(spec);
    }

    private static void warm(List<QuerySpec> specs) {
        specs.forEach(ListPrecisionTest::cached);
        CacheStats before = unit.stats("book");
        specs.forEach(ListPrecisionTest::cached);
        assertEquals(0, unit.stats("book").minus(before).misses(), "warm-up must cache every list");
    }

    /**
     * Caches {@code hitting} and {@code missing}, commits {@code write}, then reads them all again:
     * each must equal the database, the first group must hit and the second miss.
     */
    private static void assertWrite(List<QuerySpec> hitting, List<QuerySpec> missing, Consumer<jakarta.persistence.EntityManager> write) {
        List<QuerySpec> all = new ArrayList<>(hitting);
        all.addAll(missing);
        warm(all);
        unit.emf().runInTransaction(write);
        for (QuerySpec spec : hitting) {
            CacheStats before = unit.stats("book");
            assertEquals(database(spec), cached(spec), "fresh " + spec);
            assertEquals(1, unit.stats("book").minus(before).hits(), "expected a hit for " + spec);
        }
        for (QuerySpec spec : missing) {
            CacheStats before = unit.stats("book");
            assertEquals(database(spec), cached(spec), "fresh " + spec);
            CacheStats step = unit.stats("book").minus(before);
            assertEquals(1, step.staleMisses(), "expected a stale miss for " + spec);
            assertEquals(0, step.hits());
        }
    }

    @Test
    void equalityFilter_updateMovingRowFromAToB_missesListsOnAAndBOnly() {
        QuerySpec onScifi = QuerySpec.where("genre").eq("scifi").page(1, 50);
        QuerySpec onFantasy = QuerySpec.where("genre").eq("fantasy").page(1, 50);
        QuerySpec onCrime = QuerySpec.where("genre").eq("crime").page(1, 50);
        QuerySpec inCrimeHistory = QuerySpec.where("genre").in("crime", "history").page(1, 50);
        QuerySpec inScifi = QuerySpec.where("genre").in("scifi").first(50);
        long moving = book(4); // scifi
        assertWrite(List.of(onCrime, inCrimeHistory), List.of(onScifi, onFantasy, inScifi),
                em -> em.find(Book.class, moving).setGenre("fantasy"));
    }

    @Test
    void sortField_change_missesListsSortingOrRangingOnItOnly() {
        QuerySpec crimeByYear = QuerySpec.where("genre").eq("crime").orderBy("publishedYear").page(1, 50);
        QuerySpec crimeByTitle = QuerySpec.where("genre").eq("crime").orderBy("title").page(1, 50);
        QuerySpec yearRange = QuerySpec.where("publishedYear").gte(1950).orderBy("title").page(1, 5);
        long historyBook = book(3);
        assertWrite(List.of(crimeByTitle), List.of(crimeByYear, yearRange),
                em -> em.find(Book.class, historyBook).setPublishedYear(1951));
    }

    @Test
    void fieldUsedNowhere_change_missesOnlyListsContainingTheRow() {
        QuerySpec fantasy = QuerySpec.where("genre").eq("fantasy").orderBy("title").page(1, 50);
        QuerySpec crime = QuerySpec.where("genre").eq("crime").orderBy("title").page(1, 50);
        QuerySpec firstFive = QuerySpec.all().page(1, 5);
        long fantasyBook = book(9);
        assertFalse(cached(firstFive).items().stream().anyMatch(b -> b.id().equals(fantasyBook)));
        assertWrite(List.of(crime, firstFive), List.of(fantasy),
                em -> em.find(Book.class, fantasyBook).setPrice(new BigDecimal("42.00")));
    }

    @Test
    void nullableField_updates_missIsNullAndMatchingValueListsOnly() {
        QuerySpec unrated = QuerySpec.where("rating").isNull().page(1, 50);
        QuerySpec ratedTwo = QuerySpec.where("rating").eq(2.0).page(1, 50);
        QuerySpec ratedFourAndHalf = QuerySpec.where("rating").eq(4.5).page(1, 50);
        long row = book(2); // rating 1.0
        assertWrite(List.of(unrated, ratedFourAndHalf), List.of(ratedTwo),
                em -> em.find(Book.class, row).setRating(2.0));
        assertWrite(List.of(ratedFourAndHalf), List.of(unrated, ratedTwo),
                em -> em.find(Book.class, row).setRating(null));
    }

    @Test
    void relationFilter_changeOfAuthor_missesListsOfOldAndNewAuthorOnly() {
        List<Long> authors = unit.ids.authors();
        QuerySpec ofFirst = QuerySpec.where("author").eq(authors.get(0)).page(1, 50);
        QuerySpec ofSecond = QuerySpec.where("author").eq(authors.get(1)).page(1, 50);
        QuerySpec ofOthers = QuerySpec.where("author").in(authors.get(2), authors.get(3)).page(1, 50);
        long moving = book(6); // author 0
        assertWrite(List.of(ofOthers), List.of(ofFirst, ofSecond),
                em -> em.find(Book.class, moving).setAuthor(em.getReference(Author.class, authors.get(1))));
    }

    /** Regression: the insert of row n did not reach lists filtering on id = n (the id is not in the state array). */
    @Test
    void idFilter_insertOfMatchingId_missesThatList() {
        long next = Collections.max(unit.ids.books()) + 1;
        List<Long> upcoming = new ArrayList<>();
        for (long id = next; id < next + 20; id++) {
            upcoming.add(id);
        }
        QuerySpec byIds = QuerySpec.where("id").in(upcoming).page(1, 50);
        QuerySpec byOtherIds = QuerySpec.where("id").in(book(1), book(2)).page(1, 50);
        assertTrue(cached(byIds).items().isEmpty());
        assertWrite(List.of(byOtherIds), List.of(byIds), em -> em.persist(new Book("Id filtered", "scifi", 2001,
                new BigDecimal("1.00"), null, "isbn-prec-1", em.getReference(Author.class, unit.ids.authors().get(5)), null)));
        assertEquals(1, cached(byIds).items().size());
    }

    /**
     * A page also depends on the row after its last one (it was read to know whether a next page
     * exists), so the changed row is the second one of page two.
     */
    @Test
    void cursorPages_titleChangeOnSecondPage_missesThatPageOnly() {
        QuerySpec firstPage = QuerySpec.where("genre").eq("history").orderBy("publishedYear").first(4);
        CursorResult<BookView> first = (CursorResult<BookView>) cached(firstPage);
        QuerySpec secondPage = firstPage.after(first.nextCursor());
        long onSecond = ((CursorResult<BookView>) cached(secondPage)).items().get(1).id();
        assertWrite(List.of(firstPage), List.of(secondPage), em -> em.find(Book.class, onSecond).setTitle("Cursor rename"));
    }
}
