package io.loom.cache.repository;

import io.loom.cache.invalidation.CollectionRef;
import io.loom.cache.invalidation.RowRef;

import java.util.Set;
import java.util.function.Supplier;

/**
 * Implemented by repositories that can tell which rows a read touched. A caching decorator uses
 * it to make a cached result depend on exactly those rows (including related rows fetched by a
 * loading profile), so a change to any of them, and only to them, invalidates the result.
 */
public interface ReadTracking {

    /**
     * Runs {@code read} (a call to this repository on the current thread) and returns its result
     * with every row and collection it loaded. Over-reporting is safe (less precise);
     * under-reporting is a bug.
     */
    <R> Tracked<R> tracked(Supplier<R> read);

    /**
     * Every entity (normalized name) whose rows a read with this profile may load. A caching
     * decorator notes their write epochs before the load; a load that reads an entity outside this
     * set is not cached.
     */
    Set<String> entitiesRead(String profile);

    /**
     * What a read on the current thread would see right now: whether it would run on its own
     * snapshot, or join a caller's transaction (clean or with uncommitted changes). The default,
     * for repositories that always read on their own, is {@link ReadSnapshot#FRESH}.
     */
    default ReadSnapshot readSnapshot() {
        return ReadSnapshot.FRESH;
    }

    /**
     * A read's result and the rows and collections it loaded.
     *
     * @param value       the read's result, possibly null
     * @param rows        every row the read loaded, never null
     * @param collections every collection the read loaded, never null
     */
    record Tracked<R>(R value, Set<RowRef> rows, Set<CollectionRef> collections) {
        public Tracked {
            rows = Set.copyOf(rows);
            collections = Set.copyOf(collections);
        }

        public Tracked(R value, Set<RowRef> rows) {
            this(value, rows, Set.of());
        }
    }
}
