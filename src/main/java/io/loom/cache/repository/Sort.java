package io.loom.cache.repository;

import java.util.Objects;

/**
 * One sort key. Immutable.
 *
 * @param field     entity field name, non-blank
 * @param direction direction, non-null
 */
public record Sort(String field, Direction direction) {

    public Sort {
        Canonical.requireField(field);
        Objects.requireNonNull(direction, "direction");
    }

    public static Sort asc(String field) {
        return new Sort(field, Direction.ASC);
    }

    public static Sort desc(String field) {
        return new Sort(field, Direction.DESC);
    }

    /** Stable text form, e.g. {@code year:desc}. */
    public String canonical() {
        return Canonical.escape(field) + ":" + direction.name().toLowerCase(java.util.Locale.ROOT);
    }
}
