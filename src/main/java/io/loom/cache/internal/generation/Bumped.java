package io.loom.cache.internal.generation;

import java.util.Collection;
import java.util.Set;

/**
 * A bump Redis applied, as its listeners see it before {@link GenerationStore#bump} returns.
 *
 * @param tags       the dependency tags it moved (and published)
 * @param moved      counters moved or created
 * @param sequence   the highest invalidation sequence it published (0 when it published none)
 * @param members    near-cache nodes holding a lease when it ran, which owe an acknowledgement of
 *                   {@code sequence} (empty unless leases are enabled)
 * @param waitMillis how long the writer must still wait because the membership is younger than a
 *                   lease term (Redis restarted or lost it), in ms
 */
public record Bumped(Collection<String> tags, long moved, long sequence, Set<String> members, long waitMillis) {
}
