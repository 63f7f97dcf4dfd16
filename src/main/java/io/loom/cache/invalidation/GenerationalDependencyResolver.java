package io.loom.cache.invalidation;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@link DependencyResolver} with one monotonic generation counter per tag, kept in a counter
 * store ({@link GenerationCounters}). Bumps of a whole transaction go out as one script call (one round trip).
 *
 * <p>Thread-safe.
 */
public final class GenerationalDependencyResolver implements DependencyResolver {

    private final GenerationCounters store;

    /** A resolver reading and moving the counters of {@code store}. */
    public GenerationalDependencyResolver(GenerationCounters store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public Fingerprint fingerprint(List<String> tags) {
        return new Fingerprint(tags, store.generations(tags));
    }

    @Override
    public void bumpFromEvents(Collection<MutationEvent> events) {
        bump(CommittedChanges.of(List.copyOf(events)));
    }

    @Override
    public void bump(CommittedChanges changes) {
        if (changes.isEmpty()) {
            return;
        }
        bump(resolve(changes));
    }

    /** The counters {@code changes} move, without moving them (see {@link Tags} for the rules). */
    public Invalidation resolve(CommittedChanges changes) {
        Set<String> epochs = new LinkedHashSet<>(Tags.epochsOf(changes.events()));
        Set<String> tags = new LinkedHashSet<>();
        for (MutationEvent event : changes.events()) {
            tags.addAll(Tags.movedBy(event));
        }
        for (CommittedChanges.CollectionChange change : changes.collections()) {
            epochs.add(Tags.writeEpoch(change.ownerEntity()));
            tags.add(Tags.collection(change.ownerEntity(), change.ownerId(), change.role()));
        }
        for (String entity : changes.wholeEntities()) {
            epochs.add(Tags.writeEpoch(entity));
            tags.add(Tags.entity(entity));
        }
        return new Invalidation(epochs, tags);
    }

    /**
     * Moves the counters of a resolved invalidation in one round trip.
     *
     * @throws io.loom.cache.error.LoomException (a backend subtype) when the counters cannot be reached
     */
    public void bump(Invalidation invalidation) {
        if (!invalidation.isEmpty()) {
            store.bump(invalidation.epochs(), invalidation.tags());
        }
    }

    @Override
    public void bumpEntities(Collection<String> entities) {
        bump(new CommittedChanges(List.of(), Set.of(), Set.copyOf(entities)));
    }

    @Override
    public void bumpRow(RowRef row) {
        store.bump(Set.of(Tags.writeEpoch(row.entity())), Set.of(Tags.row(row)));
    }

    @Override
    public Set<String> entityTags(String entity, String id) {
        return new LinkedHashSet<>(List.of(Tags.entity(entity), Tags.row(entity, id)));
    }

    @Override
    public Set<String> listTags(String entity, ListScope scope) {
        Set<String> tags = new LinkedHashSet<>();
        tags.add(Tags.entity(entity));
        if (scope.opaque()) {
            tags.add(Tags.membership(entity));
            tags.add(Tags.anyUpdate(entity));
            return tags;
        }
        if (scope.equalities().isEmpty()) {
            tags.add(Tags.membership(entity));
        }
        scope.equalities().entrySet().stream()
                .sorted(java.util.Map.Entry.comparingByKey())
                .forEach(equality -> equality.getValue().stream()
                        .map(value -> Tags.value(entity, equality.getKey(), value))
                        .sorted()
                        .forEach(tags::add));
        scope.otherFields().stream().sorted().forEach(field -> tags.add(Tags.field(entity, field)));
        return tags;
    }
}
