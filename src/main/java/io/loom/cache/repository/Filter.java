package io.loom.cache.repository;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * One filter condition on one field. Immutable; filters of a {@link QuerySpec} are combined with AND.
 *
 * <p>Value rules: {@link FilterOp#IS_NULL}/{@link FilterOp#IS_NOT_NULL} take a null value;
 * {@link FilterOp#IN} takes a collection of non-null values (stored as an unmodifiable list); every
 * other operator takes one non-null value. Values may be given as text ("42") and are converted to
 * the field's type by {@link Repository#normalize(QuerySpec)}.
 *
 * @throws InvalidQueryException if the value does not fit the operator
 */
public record Filter(String field, FilterOp op, Object value) {

    public Filter {
        Canonical.requireField(field);
        Objects.requireNonNull(op, "op");
        if (op.isUnary()) {
            if (value != null) {
                throw new InvalidQueryException(op + " on '" + field + "' takes no value, got " + value);
            }
        } else if (op == FilterOp.IN) {
            if (!(value instanceof Collection<?> c)) {
                throw new InvalidQueryException("IN on '" + field + "' needs a collection of values, got " + value);
            }
            for (Object element : c) {
                if (element == null) {
                    throw new InvalidQueryException("IN on '" + field + "' must not contain null (use IS_NULL)");
                }
            }
            value = List.copyOf(c);
        } else if (value == null) {
            throw new InvalidQueryException(op + " on '" + field + "' needs a non-null value (use IS_NULL)");
        }
    }

    /** The values of an {@link FilterOp#IN} filter, or a one-element list of the value for others. */
    public List<?> values() {
        if (op == FilterOp.IN) {
            return (List<?>) value;
        }
        return value == null ? List.of() : List.of(value);
    }

    /** Stable text form; IN value sets are order- and duplicate-independent. */
    public String canonical() {
        String head = Canonical.escape(field) + ":" + op.name().toLowerCase(java.util.Locale.ROOT);
        if (op.isUnary()) {
            return head;
        }
        if (op == FilterOp.IN) {
            return head + ":" + Canonical.valueSet(values());
        }
        return head + ":" + Canonical.value(value);
    }
}
