package io.loom.cache.internal.read;

import io.loom.cache.invalidation.Tags;
import io.loom.cache.repository.ReadTracking;

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
        return Lookup.Loaded.of(value, Tags.ofUntrackedRead(entity), Set.of(entity));
    }

    /** A tracked read: it depends on what {@link Tags#ofTrackedRead} gives for what it loaded. */
    public static <V> Lookup.Loaded<V> tracked(V value, ReadTracking.Tracked<?> tracked, String entity) {
        return Lookup.Loaded.of(value, Tags.ofTrackedRead(entity, tracked.rows(), tracked.collections()),
                Tags.entitiesRead(entity, tracked.rows(), tracked.collections()));
    }
}
