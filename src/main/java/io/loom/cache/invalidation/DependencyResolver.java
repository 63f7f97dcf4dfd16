package io.loom.cache.invalidation;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Maps cached results to the tags they depend on and committed writes to the tags they move.
 * A cached value is valid only while every tag it depends on keeps the generation it was computed
 * under (its fingerprint).
 *
 * <p>Implementations are thread-safe.
 */
public interface DependencyResolver {

    /** The current generation of each tag, in order (null where a tag has none yet). */
    Fingerprint fingerprint(List<String> tags);

    /**
     * Whether every generation of {@code stamp} is still current: a value computed under it is
     * then as fresh as a value computed now. A resolver whose counters store generations in another
     * form than they read them (striped counters) overrides this.
     */
    default boolean isCurrent(Fingerprint stamp) {
        return fingerprint(stamp.tags()).equals(stamp);
    }

    /**
     * Moves every tag the events affect, deduplicated, in one round trip. Called once per committed
     * transaction with all of its events. Whether a failure throws or is retried is the
     * implementation's to say (the resolver of a {@code LoomCache} retries and never throws).
     */
    default void bumpFromEvents(Collection<MutationEvent> events) {
        bump(CommittedChanges.of(List.copyOf(events)));
    }

    /**
     * Moves every tag a committed transaction affects (rows, collections, whole entities) in one
     * round trip; failures as for {@link #bumpFromEvents}.
     */
    void bump(CommittedChanges changes);

    /**
     * Moves the entity-wide tag of each entity (every cached entry of it misses), for writes whose
     * rows are unknown: bulk updates, native SQL, other services.
     */
    default void bumpEntities(Collection<String> entities) {
        bump(CommittedChanges.ofEntities(entities));
    }

    /** Moves the row tag of one row (its cached lookups and the lists that contain it miss). */
    void bumpRow(RowRef row);

    /** Tags a single-row lookup depends on: the entity-wide tag and the row tag ({@link Tags#ofLookup}). */
    default Set<String> entityTags(String entity, String id) {
        return Tags.ofLookup(entity, id);
    }

    /** Tags a list result depends on before its rows are known ({@link Tags#ofList}). */
    default Set<String> listTags(String entity, ListScope scope) {
        return Tags.ofList(entity, scope);
    }
}
