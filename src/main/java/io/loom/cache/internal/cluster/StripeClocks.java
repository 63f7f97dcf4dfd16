package io.loom.cache.internal.cluster;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The highest value of each stripe's clock this node has read, and snapshots of them taken before
 * loads. A snapshot's value for a stripe was read before the snapshot was taken, so it is at most
 * the clock's value when the load began: a counter moved after that holds more (the store's
 * proof, ClusterGenerationStore). Snapshots are kept in a ring of {@link #KEPT_SNAPSHOTS}: a store
 * whose snapshot was overwritten since (that many misses began during its load) is refused, which
 * is always safe. Thread-safe; a ring slot is locked only while it is written or copied.
 */
final class StripeClocks {

    static final int KEPT_SNAPSHOTS = 4_096;

    private final AtomicLongArray seen = new AtomicLongArray(CounterStripes.STRIPES);
    private final AtomicLong ids = new AtomicLong();
    private final long[][] ring = new long[KEPT_SNAPSHOTS][CounterStripes.STRIPES];
    private final long[] ringIds = new long[KEPT_SNAPSHOTS];

    /** Records a reading of a stripe's clock. */
    void observe(int stripe, long clock) {
        seen.accumulateAndGet(stripe, clock, Math::max);
    }

    /** Takes a snapshot of every reading so far; its id is never 0. */
    long snapshot() {
        long id = ids.incrementAndGet();
        int slot = (int) (id % KEPT_SNAPSHOTS);
        long[] values = ring[slot];
        synchronized (values) {
            for (int stripe = 0; stripe < values.length; stripe++) {
                values[stripe] = seen.get(stripe);
            }
            ringIds[slot] = id;
        }
        return id;
    }

    /** The snapshot {@code id}, or null when it is unknown or no longer kept. */
    long[] snapshot(long id) {
        if (id <= 0 || id > ids.get()) {
            return null;
        }
        long[] values = ring[(int) (id % KEPT_SNAPSHOTS)];
        synchronized (values) {
            return ringIds[(int) (id % KEPT_SNAPSHOTS)] == id ? values.clone() : null;
        }
    }
}
