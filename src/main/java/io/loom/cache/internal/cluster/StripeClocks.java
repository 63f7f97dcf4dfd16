package io.loom.cache.internal.cluster;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The highest value of each stripe's clock this node has read, and snapshots of them taken before
 * loads. A snapshot's value for a stripe was read before the snapshot was taken, so it is at most
 * the clock's value when the load began: a counter moved after that holds more (the store's
 * proof, ClusterGenerationStore). A store that finds its snapshot gone (more loads in flight than
 * are remembered, or older than {@link #KEPT_FOR}) is refused, which is always safe. Thread-safe.
 */
final class StripeClocks {

    static final Duration KEPT_FOR = Duration.ofMinutes(10);
    private static final int KEPT_SNAPSHOTS = 16_384;

    private final AtomicLongArray seen = new AtomicLongArray(CounterStripes.STRIPES);
    private final AtomicLong ids = new AtomicLong();
    private final Cache<Long, long[]> snapshots = Caffeine.newBuilder()
            .maximumSize(KEPT_SNAPSHOTS).expireAfterWrite(KEPT_FOR).build();

    /** Records a reading of a stripe's clock. */
    void observe(int stripe, long clock) {
        seen.accumulateAndGet(stripe, clock, Math::max);
    }

    /** Takes a snapshot of every reading so far; its id is never 0. */
    long snapshot() {
        long[] values = new long[CounterStripes.STRIPES];
        for (int stripe = 0; stripe < values.length; stripe++) {
            values[stripe] = seen.get(stripe);
        }
        long id = ids.incrementAndGet();
        snapshots.put(id, values);
        return id;
    }

    /** The snapshot {@code id}, or null when it is unknown or no longer kept. */
    long[] snapshot(long id) {
        return id <= 0 ? null : snapshots.getIfPresent(id);
    }
}
