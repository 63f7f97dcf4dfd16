package io.loom.cache.internal.generation;

import io.loom.cache.gateway.CacheBackend;
import io.loom.cache.gateway.CacheGateway;
import io.loom.cache.gateway.GenerationStore;
import io.loom.cache.invalidation.Fingerprint;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/*
 * Generation store over any data backend and counter gateway, for the in-memory default (and any
 * pairing the scripted Redis store cannot serve). Entries are the same bytes the scripts write
 * (StampedEntryFormat), validated here instead of on the server.
 *
 * store() reads the tags' generations first and checks the watched epochs last: a bump before the
 * generations were read also moved an epoch (refused), a bump after they were read makes the
 * stamped entry stale. bump() and store() share one lock, so in one process a bump never
 * interleaves with a stamp. Counters are created from the wall clock in microseconds, like the
 * scripted store, so a lost counter never comes back at a value an old entry was stamped with.
 */
/** {@link GenerationStore} on the gateway API, for one process. Thread-safe. */
public final class LocalGenerationStore implements GenerationStore {

    private final CacheBackend entries;
    private final CacheGateway counters;
    private final String counterPrefix;
    private final Clock clock;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final boolean precise;
    private final AtomicLong lastMicros = new AtomicLong();
    private final List<Consumer<Collection<String>>> bumpListeners = new CopyOnWriteArrayList<>();

    /**
     * @param entries       backend holding entries as raw bytes (a data-mode backend)
     * @param counters      gateway holding the counters (either mode)
     * @param counterPrefix prefix of counter keys within the counter gateway
     * @param clock         source of creation values for counters
     * @param precise       whether the counters live in this process only (then a bump's clock
     *                      reading is this store's and a miss may report it: see
     *                      {@link ReadResult#since}); false when other processes move them with
     *                      their own clocks
     */
    public LocalGenerationStore(CacheBackend entries, CacheGateway counters, String counterPrefix, Clock clock,
                                boolean precise) {
        this.precise = precise;
        this.entries = entries;
        this.counters = counters;
        this.counterPrefix = counterPrefix;
        this.clock = clock;
    }

    @Override
    public ReadResult read(String entryKey, List<String> epochTags) {
        Object raw = entries.getValue(entryKey);
        if (raw == null) {
            return miss(Status.ABSENT, epochTags);
        }
        StampedEntryFormat.Decoded entry = raw instanceof byte[] bytes ? StampedEntryFormat.decode(bytes) : null;
        if (entry == null) {
            return miss(Status.FOREIGN, epochTags);
        }
        List<String> current = generations(entry.tags());
        if (!current.equals(entry.generations())) {
            return miss(Status.STALE, epochTags);
        }
        return ReadResult.hit(entry.payload(), entry.stamp());
    }

    /** The same two proofs as store.lua: every tag last moved before {@code since}, or no epoch moved. */
    @Override
    public Fingerprint stamp(String entryKey, byte[] payload, Collection<String> tags, List<EpochValue> watched,
                             long since, Duration entryTtl, boolean tagsKnownToCaller) {
        writeLock.lock();
        try {
            List<String> tagList = List.copyOf(tags);
            List<String> stamp = new ArrayList<>(tagList.size());
            boolean clockProof = precise && since > 0;
            String created = null;
            for (String tag : tagList) {
                Long generation = counters.getValue(counterPrefix + tag, Long.class);
                if (generation == null || generation >= since) {
                    clockProof = false;
                }
                if (generation == null) {
                    created = created != null ? created : nowMicros();
                    counters.setIfAbsent(counterPrefix + tag, Long.parseLong(created), null);
                    generation = counters.getValue(counterPrefix + tag, Long.class);
                }
                stamp.add(generation == null ? "" : generation.toString());
            }
            if (!clockProof && epochMoved(watched)) {
                return null;
            }
            entries.setValue(entryKey, StampedEntryFormat.encode(tagList, stamp, payload), entryTtl);
            return new Fingerprint(tagList, stamp);
        } finally {
            writeLock.unlock();
        }
    }

    private boolean epochMoved(List<EpochValue> watched) {
        boolean moved = false;
        for (EpochValue epoch : watched) {
            Long value = counters.getValue(counterPrefix + epoch.tag(), Long.class);
            if (value == null) {
                // Absent now: it may have been lost and recreated since it was read, so it never
                // matches; created here so the next load can be kept (as store.lua does).
                counters.setIfAbsent(counterPrefix + epoch.tag(), Long.parseLong(nowMicros()), null);
                moved = true;
            } else if (!epoch.value().equals(value.toString())) {
                moved = true;
            }
        }
        return moved;
    }

    /** Whether the counters live in this process only, so that this store's bumps alone move them. */
    public boolean countersInProcess() {
        return precise;
    }

    /**
     * Runs {@code listener} with the dependency tags of every bump, once its counters moved (or
     * failed to) and before {@link #bump} returns, under the lock stores take, so no store
     * interleaves.
     */
    public void addBumpListener(Consumer<Collection<String>> listener) {
        bumpListeners.add(listener);
    }

    @Override
    public long bump(Collection<String> epochTags, Collection<String> tags) {
        writeLock.lock();
        try {
            long moved = 0;
            for (String epoch : epochTags) {
                String key = counterPrefix + epoch;
                if (!counters.setIfAbsent(key, Long.parseLong(nowMicros()), null)) {
                    counters.incr(key, 1);
                }
                moved++;
            }
            long now = -1;
            for (String tag : tags) {
                String key = counterPrefix + tag;
                Long current = counters.getValue(key, Long.class);
                if (current != null) {
                    // At least this bump's clock reading, as bump.lua: a tag moved at t holds >= t.
                    now = now < 0 ? Long.parseLong(nowMicros()) : now;
                    counters.incr(key, Math.max(1, now - current));
                    moved++;
                }
            }
            return moved;
        } finally {
            try {
                // Also when a counter failed to move part way: telling of more than moved is safe.
                if (!tags.isEmpty()) {
                    bumpListeners.forEach(listener -> listener.accept(tags));
                }
            } finally {
                writeLock.unlock();
            }
        }
    }

    @Override
    public List<String> generations(List<String> tags) {
        List<String> values = new ArrayList<>(tags.size());
        for (String tag : tags) {
            Long value = counters.getValue(counterPrefix + tag, Long.class);
            values.add(value == null ? null : value.toString());
        }
        return values;
    }

    @Override
    public void evict(String entryKey) {
        entries.delete(entryKey);
    }

    @Override
    public void close() {
        // The backends belong to their gateways.
    }

    /**
     * A miss: the epochs' values, every absent one created first (a load only ever watches a real
     * value), and the clock reading the load starts after.
     */
    private ReadResult miss(Status status, List<String> epochTags) {
        List<EpochValue> epochs = epochs(epochTags);
        return ReadResult.miss(status, epochs, precise ? Long.parseLong(nowMicros()) : 0);
    }

    private List<EpochValue> epochs(List<String> epochTags) {
        List<String> values = generations(epochTags);
        if (values.contains(null)) {
            String created = nowMicros();
            for (String tag : epochTags) {
                counters.setIfAbsent(counterPrefix + tag, Long.parseLong(created), null);
            }
            values = generations(epochTags);
        }
        List<EpochValue> epochs = new ArrayList<>(epochTags.size());
        for (int i = 0; i < epochTags.size(); i++) {
            epochs.add(new EpochValue(epochTags.get(i), values.get(i) == null ? "" : values.get(i)));
        }
        return epochs;
    }

    /**
     * The clock in microseconds, strictly increasing across calls of this store (a wall clock may
     * stand still or step back): every later reading is above every earlier one, so a bump after
     * a miss's reading values its tags above it.
     */
    private String nowMicros() {
        Instant now = clock.instant();
        long micros = Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1_000);
        return Long.toString(lastMicros.updateAndGet(last -> Math.max(last + 1, micros)));
    }
}
