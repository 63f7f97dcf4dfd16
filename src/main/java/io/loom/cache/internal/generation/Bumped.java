package io.loom.cache.internal.generation;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
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
 * @param clock      a server time read after the bump, above every value it set (0 when unknown):
 *                   a load that begins after the bump returned may be stored with it as its
 *                   {@code since} ({@link io.loom.cache.gateway.GenerationStore#stamp})
 */
public record Bumped(Collection<String> tags, long moved, long sequence, Set<String> members, long waitMillis,
                     long clock) {

    /**
     * The bump of {@code tags} from the replies of its scripts, each {@code {moved, sequence, wait,
     * clock, member...}} (bump.lua, or publish.lua on a cluster): moved counts added to {@code moved},
     * the highest sequence and wait (one acknowledgement of it covers every chunk), every member,
     * and the highest clock when every chunk read one (chunks run in order, so the last clock is
     * above what each of them set).
     */
    public static Bumped fromReplies(Collection<String> tags, long moved, Iterable<?> replies) {
        long sequence = 0;
        long waitMillis = 0;
        long clock = 0;
        boolean clockKnown = true;
        Set<String> members = new HashSet<>();
        for (Object reply : replies) {
            List<?> parts = (List<?>) reply;
            moved += ((Number) parts.get(0)).longValue();
            sequence = Math.max(sequence, ((Number) parts.get(1)).longValue());
            waitMillis = Math.max(waitMillis, ((Number) parts.get(2)).longValue());
            long chunkClock = ((Number) parts.get(3)).longValue();
            clockKnown &= chunkClock > 0;
            clock = Math.max(clock, chunkClock);
            for (int i = 4; i < parts.size(); i++) {
                members.add(new String((byte[]) parts.get(i), StandardCharsets.UTF_8));
            }
        }
        return new Bumped(tags, moved, sequence, members, waitMillis, clockKnown ? clock : 0);
    }
}
