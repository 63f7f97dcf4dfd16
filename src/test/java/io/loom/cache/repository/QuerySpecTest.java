package io.loom.cache.repository;

import io.loom.cache.invalidation.ListScope;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuerySpecTest {

    @Test
    void canonical_filterOrderDoesNotMatter_andSpecsAreEqual() {
        QuerySpec a = QuerySpec.where("genre").eq("scifi").and("year").gte(1990).orderBy("year", Direction.DESC).page(1, 20);
        QuerySpec b = QuerySpec.where("year").gte(1990).and("genre").eq("scifi").orderBy("year", Direction.DESC).page(1, 20);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(a.canonical(), b.canonical());
    }

    @Test
    void canonical_sortOrderPaginationAndValueKindsMatter() {
        QuerySpec base = QuerySpec.all().orderBy("a").orderBy("b").page(1, 20);
        assertNotEquals(base.canonical(), QuerySpec.all().orderBy("b").orderBy("a").page(1, 20).canonical());
        assertNotEquals(base.canonical(), QuerySpec.all().orderBy("a").orderBy("b").page(2, 20).canonical());
        assertNotEquals(base.canonical(), QuerySpec.all().orderBy("a").orderBy("b").first(20).canonical());
        assertNotEquals(QuerySpec.where("x").eq("42").build().canonical(), QuerySpec.where("x").eq(42).build().canonical());
    }

    @Test
    void canonical_inSetsIgnoreOrderAndDuplicates_andSeparatorsAreEscaped() {
        assertEquals(QuerySpec.where("g").in("a", "b", "a").build().canonical(), QuerySpec.where("g").in("b", "a").build().canonical());
        assertNotEquals(QuerySpec.where("g").eq("a&g:eq:s'b").build().canonical(),
                QuerySpec.where("g").eq("a").and("g").eq("b").build().canonical());
    }

    @Test
    void filter_valueRulesPerOperator_throwInvalidQueryException() {
        assertThrows(InvalidQueryException.class, () -> new Filter("f", FilterOp.EQ, null));
        assertThrows(InvalidQueryException.class, () -> new Filter("f", FilterOp.IS_NULL, 1));
        assertThrows(InvalidQueryException.class, () -> new Filter("f", FilterOp.IN, "a"));
        assertThrows(InvalidQueryException.class, () -> new Filter("f", FilterOp.IN, Arrays.asList("a", null)));
        assertThrows(InvalidQueryException.class, () -> new Filter(" ", FilterOp.EQ, 1));
        assertThrows(InvalidQueryException.class, () -> QuerySpec.all().orderBy("a").orderBy("a", Direction.DESC).build());
    }

    @Test
    void pagination_rangesAreChecked_andCursorHelpersKeepTheLimit() {
        assertThrows(InvalidPageException.class, () -> new PageParams(0, 10));
        assertThrows(InvalidPageException.class, () -> new PageParams(1, 0));
        assertThrows(InvalidPageException.class, () -> new CursorParams(null, 0));
        assertEquals(40, new PageParams(3, 20).offset());
        QuerySpec next = QuerySpec.all().first(15).after("abc");
        CursorParams c = assertInstanceOf(CursorParams.class, next.pagination());
        assertEquals("abc", c.after());
        assertEquals(15, c.limit());
        assertNull(new CursorParams("", 5).after());
        assertEquals(QuerySpec.DEFAULT_LIMIT, QuerySpec.all().build().pagination().limit());
    }

    @Test
    void filterParams_areOrderIndependent_andNullMeansIsNull() {
        Map<String, Object> m = new HashMap<>();
        m.put("b", 2);
        m.put("a", null);
        FilterParams p = new FilterParams(m);
        assertEquals(FilterParams.of("a", null).and("b", 2), p);
        assertEquals(FilterParams.of("a", null).and("b", 2).canonical(), p.canonical());
        assertEquals(List.of(new Filter("a", FilterOp.IS_NULL, null), new Filter("b", FilterOp.EQ, 2)), p.toFilters());
        assertTrue(FilterParams.none().equalities().isEmpty());
    }

    @Test
    void results_areImmutable() {
        PageResult<String> r = new PageResult<>(new java.util.ArrayList<>(List.of("x")), 1, 10, 11, true);
        assertThrows(UnsupportedOperationException.class, () -> r.items().add("y"));
        assertEquals(2, r.totalPages());
        assertEquals(Patch.toNull(), Patch.of(null));
    }

    @Test
    void scope_equalitiesGiveValues_otherFiltersAndSortsGiveFields() {
        ListScope scope = QuerySpec.where("genre").eq("scifi").and("year").gte(1990)
                .orderBy("title", Direction.ASC).page(1, 20).scope();
        assertEquals(java.util.Map.of("genre", java.util.Set.of("scifi")), scope.equalities());
        assertEquals(java.util.Set.of("year", "title"), scope.otherFields());
        assertFalse(scope.opaque());
    }
}
