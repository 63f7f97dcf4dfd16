package io.loom.cache.repository;

/** Filter operators. Value rules are enforced by {@link Filter}'s constructor. */
public enum FilterOp {
    /** Equal to a non-null value (use {@link #IS_NULL} for null). */
    EQ,
    /** Not equal to a non-null value; rows where the field is null do not match (SQL semantics). */
    NE,
    LT, LTE, GT, GTE,
    /** Equal to one of a collection of non-null values; an empty collection matches nothing. */
    IN,
    /** String field contains the value (case-sensitive, no wildcards). */
    CONTAINS,
    /** String field starts with the value (case-sensitive, no wildcards). */
    STARTS_WITH,
    /** Field is null; takes no value. */
    IS_NULL,
    /** Field is not null; takes no value. */
    IS_NOT_NULL;

    /** Whether this operator takes no value. */
    public boolean isUnary() {
        return this == IS_NULL || this == IS_NOT_NULL;
    }
}
