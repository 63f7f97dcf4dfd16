package io.loom.cache.invalidation;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a cached list's membership and order depend on, independent of any query language.
 *
 * @param equalities  property -> the values an equality or IN filter accepts
 * @param otherFields properties used by any other filter or by the sort
 * @param opaque      true when the filter is unknown (a custom query): any insert, update or delete
 *                    of the entity may change the result
 */
public record ListScope(Map<String, Set<Object>> equalities, Set<String> otherFields, boolean opaque) {

    public ListScope {
        equalities = Map.copyOf(Objects.requireNonNull(equalities, "equalities"));
        otherFields = Set.copyOf(Objects.requireNonNull(otherFields, "otherFields"));
    }

    /** The scope of a query whose filter is unknown. */
    public static ListScope opaqueQuery() {
        return new ListScope(Map.of(), Set.of(), true);
    }
}
