package io.loom.cache.invalidation;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One committed change to one row, as the invalidation layer sees it.
 *
 * <p>{@code changedProperties} names the properties an UPDATE changed (empty for INSERT and DELETE).
 * {@code oldValues} and {@code newValues} carry property values where the source knows them (the
 * Hibernate listeners always do): an INSERT has only new values, a DELETE only old ones, an UPDATE
 * both for its changed properties. They let the resolver bump only the value-scoped list tags a row
 * left and entered; an event without them is handled conservatively.
 *
 * @param entity            normalized entity name
 * @param operation         what happened to the row
 * @param id                canonical id text
 * @param changedProperties names of changed properties (UPDATE only), never null
 * @param oldValues         property values before the change, never null
 * @param newValues         property values after the change, never null
 */
public record MutationEvent(
        String entity,
        Operation operation,
        String id,
        Set<String> changedProperties,
        Map<String, Object> oldValues,
        Map<String, Object> newValues) {

    /** The kind of committed change. */
    public enum Operation {
        INSERT, UPDATE, DELETE
    }

    public MutationEvent {
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(id, "id");
        changedProperties = changedProperties == null ? Set.of() : Set.copyOf(changedProperties);
        oldValues = immutableCopy(oldValues);
        newValues = immutableCopy(newValues);
    }

    /** An insert of a row, with the values it was inserted with. */
    public static MutationEvent insert(String entityName, Object id, Map<String, Object> newValues) {
        return new MutationEvent(EntityNames.normalize(entityName), Operation.INSERT,
                EntityNames.canonicalId(id), Set.of(), Map.of(), newValues);
    }

    /** An update of a row: the changed properties with their old and new values. */
    public static MutationEvent update(String entityName, Object id, Set<String> changedProperties,
                                       Map<String, Object> oldValues, Map<String, Object> newValues) {
        return new MutationEvent(EntityNames.normalize(entityName), Operation.UPDATE,
                EntityNames.canonicalId(id), changedProperties, oldValues, newValues);
    }

    /** A delete of a row, with the values it had. */
    public static MutationEvent delete(String entityName, Object id, Map<String, Object> oldValues) {
        return new MutationEvent(EntityNames.normalize(entityName), Operation.DELETE,
                EntityNames.canonicalId(id), Set.of(), oldValues, Map.of());
    }

    /** The row this event changed. */
    public RowRef row() {
        return new RowRef(entity, id);
    }

    private static Map<String, Object> immutableCopy(Map<String, Object> values) {
        if (values == null || values.isEmpty()) {
            return Map.of();
        }
        // Map.copyOf rejects null values, and a property that became null is information.
        return Collections.unmodifiableMap(new HashMap<>(values));
    }
}
