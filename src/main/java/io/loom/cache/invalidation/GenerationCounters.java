package io.loom.cache.invalidation;

import java.util.Collection;
import java.util.List;

/**
 * The generation counters a {@link GenerationalDependencyResolver} reads and moves: the one thing
 * the resolver needs from a counter store, so the rules here depend on no backend.
 *
 * <p>Implementations are thread-safe.
 */
public interface GenerationCounters {

    /**
     * Moves every given counter in one step: epochs always (created when absent), dependency tags
     * when present.
     *
     * @return the number of counters moved or created
     * @throws io.loom.cache.error.LoomException (a backend subtype) when the counters cannot be reached
     */
    long bump(Collection<String> epochTags, Collection<String> tags);

    /** The current generation of each tag, in order; null where a tag has none yet. */
    List<String> generations(List<String> tags);

    /**
     * Whether every generation of {@code stamp} is still current (one step: an MGET on Redis). A
     * value kept under this stamp is then exactly as fresh as the stored entry would be.
     */
    default boolean isCurrent(Fingerprint stamp) {
        return stamp.generations().equals(generations(stamp.tags()));
    }
}
