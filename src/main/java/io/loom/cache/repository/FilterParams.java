package io.loom.cache.repository;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Equality filters: field -&gt; value, combined with AND. A null value means "field is null".
 * Immutable; equal maps give equal params and the same canonical form regardless of insertion order.
 */
public record FilterParams(Map<String, Object> equalities) {

    private static final FilterParams NONE = new FilterParams(Map.of());

    public FilterParams {
        TreeMap<String, Object> copy = new TreeMap<>();
        if (equalities != null) {
            for (Map.Entry<String, Object> e : equalities.entrySet()) {
                Canonical.requireField(e.getKey());
                copy.put(e.getKey(), e.getValue());
            }
        }
        equalities = Collections.unmodifiableMap(copy);
    }

    /** No filters. */
    public static FilterParams none() {
        return NONE;
    }

    /** One equality. */
    public static FilterParams of(String field, Object value) {
        TreeMap<String, Object> m = new TreeMap<>();
        m.put(field, value);
        return new FilterParams(m);
    }

    /** A copy with one more equality (replacing a previous one on the same field). */
    public FilterParams and(String field, Object value) {
        TreeMap<String, Object> m = new TreeMap<>(equalities);
        m.put(field, value);
        return new FilterParams(m);
    }

    /** The equalities as {@link Filter}s (EQ, or IS_NULL for null values). */
    public List<Filter> toFilters() {
        List<Filter> out = new ArrayList<>(equalities.size());
        equalities.forEach((f, v) -> out.add(v == null ? new Filter(f, FilterOp.IS_NULL, null) : new Filter(f, FilterOp.EQ, v)));
        return List.copyOf(out);
    }

    /** Stable text form. */
    public String canonical() {
        List<String> parts = new ArrayList<>();
        for (Filter f : toFilters()) {
            parts.add(f.canonical());
        }
        return String.join("&", parts);
    }
}
