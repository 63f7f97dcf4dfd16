package io.loom.cache.internal.read;

import io.loom.cache.internal.codec.EntryCodec;
import io.loom.cache.repository.ReadSnapshot;

import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One cache-aside read.
 *
 * @param entity          normalized entity name (for metrics)
 * @param entryKey        the full key of the entry
 * @param watchedEntities entities whose write epochs guard the load: every entity the load may read
 * @param tags            tags known before the load
 * @param ttl             entry time to live
 * @param absentTtl       time to live of a cached "not found" (null value); null = never cache it
 * @param codec           value codec
 * @param loader          the database load; reports the value and the tags it turned out to depend on
 * @param tagsComplete    true when {@code tags} are expected to be every tag the entry gets stamped
 *                        with (the load adds none, e.g. a lookup by id reading no related rows):
 *                        the store may then validate a hit more cheaply; a wrong guess costs a
 *                        second round trip, never a stale read
 * @param snapshot        what the load will see: only a {@link ReadSnapshot#FRESH} load is stored
 *                        (and shared with concurrent misses); {@link ReadSnapshot#UNCOMMITTED_CHANGES}
 *                        bypasses the cache
 * @param <V>             value type
 */
public record Lookup<V>(String entity, String entryKey, Set<String> watchedEntities, Set<String> tags,
                        Duration ttl, Duration absentTtl, EntryCodec<V> codec, Supplier<Loaded<V>> loader,
                        boolean tagsComplete, ReadSnapshot snapshot) {

    /** A lookup whose load runs on its own snapshot ({@link ReadSnapshot#FRESH}). */
    public Lookup(String entity, String entryKey, Set<String> watchedEntities, Set<String> tags, Duration ttl,
                  Duration absentTtl, EntryCodec<V> codec, Supplier<Loaded<V>> loader, boolean tagsComplete) {
        this(entity, entryKey, watchedEntities, tags, ttl, absentTtl, codec, loader, tagsComplete, ReadSnapshot.FRESH);
    }

    /** A lookup whose load may add tags to {@code tags} ({@code tagsComplete} false). */
    public Lookup(String entity, String entryKey, Set<String> watchedEntities, Set<String> tags, Duration ttl,
                  Duration absentTtl, EntryCodec<V> codec, Supplier<Loaded<V>> loader) {
        this(entity, entryKey, watchedEntities, tags, ttl, absentTtl, codec, loader, false);
    }

    /**
     * A load's outcome.
     *
     * @param value          the loaded value, null for "not found"
     * @param tags           further tags (rows and collections the load read)
     * @param entitiesRead   entities of the rows the load read
     * @param cacheable      false when the value must not be stored (e.g. "not found" with negative caching off)
     */
    public record Loaded<V>(V value, Set<String> tags, Set<String> entitiesRead, boolean cacheable) {
        public static <V> Loaded<V> of(V value, Set<String> tags, Set<String> entitiesRead) {
            return new Loaded<>(value, tags, entitiesRead, true);
        }
    }
}
