package io.loom.cache.internal.read;

import io.loom.cache.invalidation.CollectionRef;
import io.loom.cache.invalidation.RowRef;
import io.loom.cache.invalidation.Tags;
import io.loom.cache.repository.ReadTracking;

import java.util.LinkedHashSet;
import java.util.Set;

/** The tags a database read turned out to depend on, from what the repository reports it loaded. */
public final class ReadDependencies {

    private ReadDependencies() {
    }

    /**
     * A read whose repository cannot report what it loaded: it depends on every insert, update and
     * delete of its entity.
     */
    public static <V> Lookup.Loaded<V> untracked(V value, String entity) {
        return Lookup.Loaded.of(value, Set.of(Tags.membership(entity), Tags.anyUpdate(entity)), Set.of(entity));
    }

    /**
     * A tracked read: it depends on every row and collection it loaded, and on the entity-wide tag
     * of every entity it read (a bulk write or {@code invalidate(entity)} of a related entity moves
     * only that tag, and a view holding its rows, or an empty collection of them, must miss).
     */
    public static <V> Lookup.Loaded<V> tracked(V value, ReadTracking.Tracked<?> tracked, String entity) {
        Set<String> tags = new LinkedHashSet<>();
        Set<String> entities = new LinkedHashSet<>();
        entities.add(entity);
        for (RowRef row : tracked.rows()) {
            tags.add(Tags.row(row));
            entities.add(row.entity());
        }
        for (CollectionRef collection : tracked.collections()) {
            tags.addAll(collection.tags());
            entities.add(collection.ownerEntity());
            if (collection.elementEntity() != null) {
                entities.add(collection.elementEntity());
            }
        }
        entities.forEach(name -> tags.add(Tags.entity(name)));
        return Lookup.Loaded.of(value, tags, entities);
    }
}
