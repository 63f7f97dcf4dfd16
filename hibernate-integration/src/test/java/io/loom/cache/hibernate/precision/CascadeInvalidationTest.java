package io.loom.cache.hibernate.precision;

import io.loom.cache.hibernate.e2e.LoomTestUnit;
import io.loom.cache.hibernate.model.Shelf;
import io.loom.cache.hibernate.model.Views.ShelfItemView;
import io.loom.cache.hibernate.model.Views.ShelfView;
import io.loom.cache.repository.PageResult;
import io.loom.cache.repository.QuerySpec;
import io.loom.cache.stats.CacheStats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Children saved and removed only through their parent ({@code cascade = ALL, orphanRemoval}):
 * cached child lists and the parent's {@code with_items} view miss; unrelated shelves stay cached.
 */
class CascadeInvalidationTest {

    private static LoomTestUnit unit;

    @BeforeAll
    static void start() {
        unit = LoomTestUnit.h2OnRedis(CascadeInvalidationTest.class);
    }

    @AfterAll
    static void stop() {
        unit.close();
    }

    private static void createShelf(long id, String... labels) {
        unit.emf().runInTransaction(em -> {
            Shelf shelf = new Shelf(id, "Shelf " + id);
            for (int i = 0; i < labels.length; i++) {
                shelf.add(labels[i], i + 1);
            }
            em.persist(shelf); // the items are saved by cascade
        });
    }

    @SuppressWarnings("unchecked")
    private static PageResult<ShelfItemView> itemsOf(long shelfId) {
        return (PageResult<ShelfItemView>) unit.shelfItems.listWithQuery(
                QuerySpec.where("shelf").eq(shelfId).orderBy("position").page(1, 20));
    }

    private static List<String> labels(PageResult<ShelfItemView> page) {
        return page.items().stream().map(ShelfItemView::label).toList();
    }

    private static List<String> labels(ShelfView view) {
        return view.items().stream().map(ShelfItemView::label).toList();
    }

    /** Combined shelf + shelf item counters since {@code before}. */
    private static CacheStats since(CacheStats[] before) {
        return unit.stats("shelf").minus(before[0]);
    }

    private static CacheStats[] now() {
        return new CacheStats[] {unit.stats("shelf"), unit.stats("shelf_item")};
    }

    private static CacheStats itemsSince(CacheStats[] before) {
        return unit.stats("shelf_item").minus(before[1]);
    }

    private static void readAll(long a, long b) {
        itemsOf(a);
        itemsOf(b);
        unit.shelves.getById(a, "with_items");
        unit.shelves.getById(b, "with_items");
        unit.shelves.getById(a);
    }

    private static void warm(long a, long b) {
        readAll(a, b);
        CacheStats[] before = now();
        readAll(a, b);
        assertEquals(0, since(before).misses() + itemsSince(before).misses(), "warm-up must cache every read");
    }

    @Test
    void childSavedThroughParent_missesItsListAndParentViewOnly() {
        createShelf(101, "a", "b");
        createShelf(102, "x");
        warm(101, 102);

        unit.emf().runInTransaction(em -> em.find(Shelf.class, 101L).add("c", 3));

        CacheStats[] before = now();
        assertEquals(List.of("a", "b", "c"), labels(itemsOf(101)));
        assertEquals(List.of("x"), labels(itemsOf(102)));
        assertEquals(List.of("a", "b", "c"), labels(unit.shelves.getById(101L, "with_items").orElseThrow()));
        unit.shelves.getById(102L, "with_items");
        unit.shelves.getById(101L);
        CacheStats items = itemsSince(before);
        CacheStats shelves = since(before);
        assertEquals(1, items.staleMisses());
        assertEquals(1, items.hits());
        assertEquals(1, shelves.staleMisses());
        assertEquals(2, shelves.hits());
    }

    @Test
    void orphanRemoval_missesItsListAndParentViewOnly() {
        createShelf(201, "a", "b", "c");
        createShelf(202, "x");
        warm(201, 202);

        unit.emf().runInTransaction(em -> em.find(Shelf.class, 201L).getItems().remove(0)); // orphan: deleted

        CacheStats[] before = now();
        assertEquals(List.of("b", "c"), labels(itemsOf(201)));
        assertEquals(List.of("x"), labels(itemsOf(202)));
        assertEquals(List.of("b", "c"), labels(unit.shelves.getById(201L, "with_items").orElseThrow()));
        unit.shelves.getById(202L, "with_items");
        unit.shelves.getById(201L);
        CacheStats items = itemsSince(before);
        CacheStats shelves = since(before);
        assertEquals(1, items.staleMisses());
        assertEquals(1, items.hits());
        assertEquals(1, shelves.staleMisses());
        assertEquals(2, shelves.hits());
    }

    @Test
    void parentRemovedWithCascade_missesItsChildListAndItself() {
        createShelf(301, "a", "b");
        createShelf(302, "x");
        warm(301, 302);
        long itemId = itemsOf(301).items().get(0).id();
        unit.shelfItems.getById(itemId);
        unit.shelfItems.getById(itemId);

        unit.emf().runInTransaction(em -> em.remove(em.find(Shelf.class, 301L))); // the items go with it

        CacheStats[] before = now();
        assertTrue(itemsOf(301).items().isEmpty());
        assertEquals(List.of("x"), labels(itemsOf(302)));
        assertTrue(unit.shelves.getById(301L, "with_items").isEmpty());
        unit.shelves.getById(302L, "with_items");
        assertTrue(unit.shelves.getById(301L).isEmpty());
        assertTrue(unit.shelfItems.getById(itemId).isEmpty());
        CacheStats items = itemsSince(before);
        CacheStats shelves = since(before);
        assertEquals(2, items.staleMisses()); // the list of shelf 301 and the removed item
        assertEquals(1, items.hits());
        assertEquals(2, shelves.staleMisses()); // both views of shelf 301
        assertEquals(1, shelves.hits());
    }

    @Test
    void childUpdatedThroughParent_missesParentViewAndListHoldingIt() {
        createShelf(401, "a");
        createShelf(402, "x");
        warm(401, 402);

        unit.emf().runInTransaction(em -> em.find(Shelf.class, 401L).getItems().get(0).setLabel("renamed"));

        CacheStats[] before = now();
        assertEquals(List.of("renamed"), labels(itemsOf(401)));
        assertEquals(List.of("renamed"), labels(unit.shelves.getById(401L, "with_items").orElseThrow()));
        itemsOf(402);
        unit.shelves.getById(402L, "with_items");
        unit.shelves.getById(401L);
        assertEquals(1, itemsSince(before).staleMisses());
        assertEquals(1, itemsSince(before).hits());
        assertEquals(1, since(before).staleMisses());
        assertEquals(2, since(before).hits());
    }
}
