package io.loom.cache.invalidation;

import java.util.Objects;

/**
 * One database row: a normalized entity name and the canonical text of its id.
 *
 * @param entity normalized entity name (see {@link EntityNames#normalize(String)})
 * @param id     canonical id text (see {@link EntityNames#canonicalId(Object)})
 */
public record RowRef(String entity, String id) {

    public RowRef {
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(id, "id");
    }

    /** The row of an entity class and id value. */
    public static RowRef of(String entityName, Object id) {
        return new RowRef(EntityNames.normalize(entityName), EntityNames.canonicalId(id));
    }
}
