package io.loom.cache.repository;

import io.loom.cache.invalidation.ListScope;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A list query: filters (combined with AND), sort keys (the repository always appends the id as
 * the final tie-breaker) and pagination. Immutable; filters are kept de-duplicated in canonical
 * order, so specs that differ only in filter order are equal and have the same {@link #canonical()}.
 *
 * <pre>{@code
 * QuerySpec spec = QuerySpec.where("genre").eq("scifi").and("publishedYear").gte(1990)
 *         .orderBy("publishedYear", Direction.DESC).page(1, 20);
 * QuerySpec walk = QuerySpec.all().orderBy("title").first(25);     // cursor pagination
 * QuerySpec next = walk.after(result.nextCursor());
 * }</pre>
 *
 * @throws InvalidQueryException if a field is sorted twice
 */
public record QuerySpec(List<Filter> filters, List<Sort> sorts, Pagination pagination) {

    /** Page size when none is given. */
    public static final int DEFAULT_LIMIT = 20;

    public QuerySpec {
        Map<String, Filter> unique = new LinkedHashMap<>();
        for (Filter f : Objects.requireNonNull(filters, "filters")) {
            unique.putIfAbsent(Objects.requireNonNull(f, "filter").canonical(), f);
        }
        List<Filter> sorted = new ArrayList<>(unique.values());
        sorted.sort(Comparator.comparing(Filter::canonical));
        filters = List.copyOf(sorted);
        Set<String> seen = new HashSet<>();
        for (Sort s : Objects.requireNonNull(sorts, "sorts")) {
            if (!seen.add(Objects.requireNonNull(s, "sort").field())) {
                throw new InvalidQueryException("field '" + s.field() + "' is sorted more than once");
            }
        }
        sorts = List.copyOf(sorts);
        Objects.requireNonNull(pagination, "pagination");
    }

    /** Starts a query with a filter on {@code field}. */
    public static FieldStep where(String field) {
        return new Builder().and(field);
    }

    /** Starts a query without filters. */
    public static Builder all() {
        return new Builder();
    }

    /** This query with the given filters replaced. */
    public QuerySpec withFilters(Collection<Filter> newFilters) {
        return new QuerySpec(List.copyOf(newFilters), sorts, pagination);
    }

    /** This query with other pagination. */
    public QuerySpec withPagination(Pagination newPagination) {
        return new QuerySpec(filters, sorts, newPagination);
    }

    /** The next cursor page of this query, same limit (null cursor: first page). */
    public QuerySpec after(String cursor) {
        return withPagination(new CursorParams(cursor, pagination.limit()));
    }

    /** Whether this query is cursor-paginated. */
    public boolean isCursor() {
        return pagination instanceof CursorParams;
    }

    /** Canonical form of the filters and sorts only, which a cursor is bound to. */
    public String shapeCanonical() {
        List<String> f = new ArrayList<>();
        for (Filter filter : filters) {
            f.add(filter.canonical());
        }
        List<String> s = new ArrayList<>();
        for (Sort sort : sorts) {
            s.add(sort.canonical());
        }
        return "f=" + String.join("&", f) + "|s=" + String.join(",", s);
    }

    /** Stable text form: equal for equal specs, independent of filter order. */
    public String canonical() {
        return shapeCanonical() + "|p=" + pagination.canonical();
    }

    /** Adds a condition on one field. */
    public static final class FieldStep {
        private final Builder builder;
        private final String field;

        private FieldStep(Builder builder, String field) {
            this.builder = builder;
            this.field = field;
        }

        public Builder eq(Object value) {
            return builder.add(new Filter(field, FilterOp.EQ, value));
        }

        public Builder ne(Object value) {
            return builder.add(new Filter(field, FilterOp.NE, value));
        }

        public Builder lt(Object value) {
            return builder.add(new Filter(field, FilterOp.LT, value));
        }

        public Builder lte(Object value) {
            return builder.add(new Filter(field, FilterOp.LTE, value));
        }

        public Builder gt(Object value) {
            return builder.add(new Filter(field, FilterOp.GT, value));
        }

        public Builder gte(Object value) {
            return builder.add(new Filter(field, FilterOp.GTE, value));
        }

        public Builder in(Collection<?> values) {
            return builder.add(new Filter(field, FilterOp.IN, values));
        }

        public Builder in(Object... values) {
            return in(List.of(values));
        }

        public Builder contains(String text) {
            return builder.add(new Filter(field, FilterOp.CONTAINS, text));
        }

        public Builder startsWith(String prefix) {
            return builder.add(new Filter(field, FilterOp.STARTS_WITH, prefix));
        }

        public Builder isNull() {
            return builder.add(new Filter(field, FilterOp.IS_NULL, null));
        }

        public Builder isNotNull() {
            return builder.add(new Filter(field, FilterOp.IS_NOT_NULL, null));
        }
    }

    /** Mutable, single-use builder; not thread-safe. */
    public static final class Builder {
        private final List<Filter> filters = new ArrayList<>();
        private final List<Sort> sorts = new ArrayList<>();

        private Builder() {
        }

        /** Adds a condition on another field. */
        public FieldStep and(String field) {
            return new FieldStep(this, field);
        }

        /** Adds a ready-made filter. */
        public Builder add(Filter filter) {
            filters.add(Objects.requireNonNull(filter, "filter"));
            return this;
        }

        /** Adds a sort key, ascending. */
        public Builder orderBy(String field) {
            return orderBy(field, Direction.ASC);
        }

        /** Adds a sort key. */
        public Builder orderBy(String field, Direction direction) {
            sorts.add(new Sort(field, direction));
            return this;
        }

        /** Offset pagination. */
        public QuerySpec page(int page, int limit) {
            return new QuerySpec(filters, sorts, new PageParams(page, limit));
        }

        /** Cursor pagination, first page. */
        public QuerySpec first(int limit) {
            return new QuerySpec(filters, sorts, CursorParams.first(limit));
        }

        /** Cursor pagination after {@code cursor} (null: first page). */
        public QuerySpec after(String cursor, int limit) {
            return new QuerySpec(filters, sorts, new CursorParams(cursor, limit));
        }

        /** First offset page of {@link #DEFAULT_LIMIT} items. */
        public QuerySpec build() {
            return page(1, DEFAULT_LIMIT);
        }
    }

    /**
     * What this query's rows and order depend on, for the cache's tag rules
     * ({@link io.loom.cache.invalidation.Tags#ofList}): equality, IS NULL and IN filters give
     * accepted values per property; every other filter and every sort gives a property.
     */
    public ListScope scope() {
        Map<String, Set<Object>> equalities = new HashMap<>();
        Set<String> other = new LinkedHashSet<>();
        for (Filter filter : filters()) {
            switch (filter.op()) {
                case EQ -> equalities.computeIfAbsent(filter.field(), f -> new LinkedHashSet<>()).add(filter.value());
                case IS_NULL -> equalities.computeIfAbsent(filter.field(), f -> new LinkedHashSet<>()).add(null);
                case IN -> equalities.computeIfAbsent(filter.field(), f -> new LinkedHashSet<>())
                        .addAll((Collection<?>) filter.value());
                default -> other.add(filter.field());
            }
        }
        // Two equality filters on one field: only rows matching both count, but depending on the
        // union of their value tags is still safe.
        for (Sort sort : sorts()) {
            other.add(sort.field());
        }
        other.removeAll(equalities.keySet());
        return new ListScope(equalities, other, false);
    }
}
