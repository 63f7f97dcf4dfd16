package io.loom.cache.invalidation;

import java.util.List;
import java.util.Objects;

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

    /** Asks the counters: a striped store validates each generation against the stripe it came from. */
    @Override
    public boolean isCurrent(Fingerprint stamp) {
        return store.isCurrent(stamp);
    }

    @Override
    public void bump(CommittedChanges changes) {
        if (changes.isEmpty()) {
            return;
        }
        bump(resolve(changes));
    }

    /** The counters {@code changes} move, without moving them (see {@link Tags#movedBy(CommittedChanges)}). */
    public Invalidation resolve(CommittedChanges changes) {
        return Tags.movedBy(changes);
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
    public void bumpRow(RowRef row) {
        bump(Tags.movedByRow(row));
    }
}
