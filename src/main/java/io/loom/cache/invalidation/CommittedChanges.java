package io.loom.cache.invalidation;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything one committed transaction changed, bumped together in one round trip.
 *
 * @param events        row-level changes
 * @param collections   collections whose membership changed on their owner
 * @param wholeEntities entities changed in rows nobody listed (bulk or native statements): every
 *                      cached entry of them must miss
 */
public record CommittedChanges(List<MutationEvent> events, Set<CollectionChange> collections,
                               Set<String> wholeEntities) {

    public CommittedChanges {
        events = List.copyOf(Objects.requireNonNull(events, "events"));
        collections = Set.copyOf(Objects.requireNonNull(collections, "collections"));
        wholeEntities = Set.copyOf(Objects.requireNonNull(wholeEntities, "wholeEntities"));
    }

    public static CommittedChanges of(List<MutationEvent> events) {
        return new CommittedChanges(events, Set.of(), Set.of());
    }

    /** Writes whose rows are unknown: every entry of each of {@code entities} misses. */
    public static CommittedChanges ofEntities(Collection<String> entities) {
        return new CommittedChanges(List.of(), Set.of(), Set.copyOf(entities));
    }

    public boolean isEmpty() {
        return events.isEmpty() && collections.isEmpty() && wholeEntities.isEmpty();
    }

    /**
     * A changed collection of one owner row.
     *
     * @param ownerEntity normalized owner entity name
     * @param ownerId     canonical owner id
     * @param role        the collection property name on the owner (e.g. {@code books})
     */
    public record CollectionChange(String ownerEntity, String ownerId, String role) {
    }
}
