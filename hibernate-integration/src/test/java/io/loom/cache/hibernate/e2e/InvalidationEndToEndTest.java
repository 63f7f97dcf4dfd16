package io.loom.cache.hibernate.e2e;

import io.loom.cache.hibernate.model.Book;
import io.loom.cache.hibernate.model.Views.BookView;
import io.loom.cache.repository.CursorResult;
import io.loom.cache.repository.FilterParams;
import io.loom.cache.repository.PageParams;
import io.loom.cache.repository.PageResult;
import io.loom.cache.repository.QuerySpec;
import io.loom.cache.stats.CacheStats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads through the cache on real Redis + H2; writes through plain EntityManagers invalidate at commit. */
class InvalidationEndToEndTest {

    private static LoomTestUnit unit;

    @BeforeAll
    static void start() {
        unit = LoomTestUnit.h2OnRedis(InvalidationEndToEndTest.class);
    }

    @AfterAll
    static void stop() {
        unit.close();
    }

    private CacheStats bookStats() {
        return unit.stats("book");
    }

    private void renameInOwnTransaction(long id, String title) {
        unit.emf().runInTransaction(em -> em.find(Book.class, id).setTitle(title));
    }

    @Test
    void getById_missThenHit_countsOneLoad() {
        long id = unit.bookId(0);
        CacheStats before = bookStats();
        BookView first = unit.books.getById(id).orElseThrow();
        BookView second = unit.books.getById(id).orElseThrow();
        CacheStats step = bookStats().minus(before);
        assertEquals(first, second);
        assertEquals(1, step.misses());
        assertEquals(1, step.hits());
        assertEquals(1, step.loads());
        assertEquals(1, step.stores());
    }

    @Test
    void getById_afterCommittedUpdateThroughPlainEntityManager_returnsNewValue() {
        long id = unit.bookId(1);
        unit.books.getById(id);
        unit.books.getById(id);
        renameInOwnTransaction(id, "Renamed by EntityManager");
        CacheStats before = bookStats();
        assertEquals("Renamed by EntityManager", unit.books.getById(id).orElseThrow().title());
        CacheStats step = bookStats().minus(before);
        assertEquals(1, step.staleMisses());
        assertEquals(1, step.loads());
        assertEquals(1, unit.books.getById(id).map(b -> 1).orElse(0));
        assertEquals(1, bookStats().minus(before).hits());
    }

    @Test
    void rolledBackTransaction_bumpsNothing() {
        long id = unit.bookId(2);
        BookView cached = unit.books.getById(id).orElseThrow();
        var em = unit.emf().createEntityManager();
        try {
            em.getTransaction().begin();
            em.find(Book.class, id).setTitle("never committed");
            em.flush();
            em.getTransaction().rollback();
        } finally {
            em.close();
        }
        CacheStats before = bookStats();
        assertEquals(cached, unit.books.getById(id).orElseThrow());
        assertEquals(1, bookStats().minus(before).hits());
        assertEquals(0, unit.cache().pendingInvalidations());
    }

    @Test
    void offsetList_invalidatedByInsertUpdateAndDelete() {
        QuerySpec spec = QuerySpec.where("genre").eq("crime").orderBy("title").page(1, 50);
        PageResult<BookView> first = (PageResult<BookView>) unit.books.listWithQuery(spec);
        CacheStats before = bookStats();
        unit.books.listWithQuery(spec);
        assertEquals(1, bookStats().minus(before).hits());

        // insert
        long authorId = unit.ids.authors().get(0);
        BookView created = unit.books.create(new io.loom.cache.hibernate.model.Views.BookCreate("Zz crime",
                "crime", 2001, new BigDecimal("9.99"), 4.0, "isbn-e2e-1", authorId, null));
        PageResult<BookView> afterInsert = (PageResult<BookView>) unit.books.listWithQuery(spec);
        assertEquals(first.total() + 1, afterInsert.total());
        assertTrue(afterInsert.items().stream().anyMatch(b -> b.id().equals(created.id())));

        // update of a contained row
        renameInOwnTransaction(created.id(), "Zz crime renamed");
        PageResult<BookView> afterUpdate = (PageResult<BookView>) unit.books.listWithQuery(spec);
        assertTrue(afterUpdate.items().stream().anyMatch(b -> b.title().equals("Zz crime renamed")));

        // delete
        assertTrue(unit.books.delete(created.id()));
        PageResult<BookView> afterDelete = (PageResult<BookView>) unit.books.listWithQuery(spec);
        assertEquals(first.total(), afterDelete.total());
        assertFalse(afterDelete.items().stream().anyMatch(b -> b.id().equals(created.id())));
    }

    @Test
    void cursorList_invalidatedByInsert() {
        QuerySpec spec = QuerySpec.where("genre").eq("history").orderBy("publishedYear").first(5);
        CursorResult<BookView> first = (CursorResult<BookView>) unit.books.listWithQuery(spec);
        assertEquals(first, unit.books.listWithQuery(spec));
        long authorId = unit.ids.authors().get(1);
        BookView earliest = unit.books.create(new io.loom.cache.hibernate.model.Views.BookCreate("Ancient history",
                "history", 1000, new BigDecimal("1.00"), null, "isbn-e2e-2", authorId, null));
        CursorResult<BookView> after = (CursorResult<BookView>) unit.books.listWithQuery(spec);
        assertEquals(earliest.id(), after.items().get(0).id());
        unit.books.delete(earliest.id());
    }

    @Test
    void paginatedList_withFilterParams_isCachedAndInvalidated() {
        FilterParams crime = FilterParams.of("genre", "scifi");
        PageResult<BookView> first = unit.books.listPaginated(PageParams.of(1, 10), crime);
        CacheStats before = bookStats();
        assertEquals(first, unit.books.listPaginated(PageParams.of(1, 10), crime));
        assertEquals(1, bookStats().minus(before).hits());
        BookView row = first.items().get(0);
        renameInOwnTransaction(row.id(), "Paged rename");
        assertEquals("Paged rename", unit.books.listPaginated(PageParams.of(1, 10), crime).items().stream()
                .filter(b -> b.id().equals(row.id())).findFirst().orElseThrow().title());
    }

    @Test
    void updateOfRowOutsideList_onFieldNotFilteredOrSorted_keepsListCached() {
        QuerySpec spec = QuerySpec.where("genre").eq("fantasy").orderBy("title").page(1, 5);
        PageResult<BookView> page = (PageResult<BookView>) unit.books.listWithQuery(spec);
        long outside = unit.ids.books().stream()
                .filter(id -> page.items().stream().noneMatch(b -> b.id().equals(id)))
                .filter(id -> !unit.books.getById(id).orElseThrow().genre().equals("fantasy"))
                .findFirst().orElseThrow();
        unit.emf().runInTransaction(em -> em.find(Book.class, outside).setRating(0.5));
        CacheStats before = bookStats();
        assertEquals(page, unit.books.listWithQuery(spec));
        assertEquals(1, bookStats().minus(before).hits());
    }

    @Test
    void getById_missingRow_isCachedAsNotFoundUntilInserted() {
        List<Long> ids = unit.ids.books();
        long missing = ids.get(ids.size() - 1) + 1000;
        assertTrue(unit.books.getById(missing).isEmpty());
        CacheStats before = bookStats();
        assertTrue(unit.books.getById(missing).isEmpty());
        assertEquals(1, bookStats().minus(before).hits());
    }
}
