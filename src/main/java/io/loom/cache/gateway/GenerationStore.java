package io.loom.cache.gateway;

import io.loom.cache.config.BumpSettings;
import io.loom.cache.config.CacheConfig;
import io.loom.cache.invalidation.Fingerprint;
import io.loom.cache.invalidation.GenerationCounters;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The compound operations of the read, store and commit paths over stamped entries (kept in a
 * data backend) and generation counters (kept in a counter backend): what makes cache-aside reads
 * race-free. A data backend builds one with {@link CacheBackend#generationStore}; on Redis each
 * operation is one script call (one round trip, atomic), in memory the same semantics under one
 * lock, and both pass one contract suite.
 *
 * <p>Tags come in two kinds. A <em>dependency tag</em> is stamped into every entry that depends
 * on it; moving it invalidates those entries. A <em>write epoch</em> ({@code w:<entity>}) is moved
 * by every write of its entity but stamped into no entry: readers note it before a database load,
 * and {@link #store} refuses to keep a load during which it moved.
 */
public interface GenerationStore extends GenerationCounters, AutoCloseable {

    /**
     * Reads an entry and validates its stamp against the current generations, in one step.
     * When the entry is not current, also returns the current values of {@code epochTags}, to be
     * handed to {@link #store} after the load.
     */
    ReadResult read(String entryKey, List<String> epochTags);

    /**
     * {@link #read(String, List)} for a caller that knows, before the read, the dependency tags a
     * current entry is stamped with (for example a lookup by id: its entity tag and row tag). The
     * outcome is the same; a store may use the hint to validate more cheaply, and must fall back
     * to the full validation when the entry is stamped with a tag outside {@code expectedTags}.
     * The default ignores the hint.
     */
    default ReadResult read(String entryKey, Collection<String> expectedTags, List<String> epochTags) {
        return read(entryKey, epochTags);
    }

    /**
     * {@link #read(String, List)} for a caller that knows some of the tags a loaded entry will
     * depend on, though maybe not all (a list: its entity, membership and filter tags, not yet its
     * rows). A store that proves a store only with counters that existed before the load may create
     * those counters on a miss, so a cold entry's first load can be kept. The default ignores them.
     */
    default ReadResult readKnowingSomeTags(String entryKey, Collection<String> someTags, List<String> epochTags) {
        return read(entryKey, epochTags);
    }

    /**
     * Stamps {@code payload} with the current generations of {@code tags} (creating absent ones
     * from the clock) and stores it, when no commit that could change what the load read was
     * bumped while it ran. Either proof suffices: every tag exists and was last moved before
     * {@code since}, the store's clock read before the load ({@link ReadResult#since}; 0 when
     * unknown, and a store that does not value counters by its clock ignores it); or no epoch in
     * {@code watched} moved since it was read before the load (an absent epoch may have been lost
     * and recreated since: it is created, and counts as moved). {@code tagsKnownToCaller} tells
     * whether the caller will name the entry's tags when it reads it
     * ({@link #read(String, Collection, List)}); a store that remembers the tags of entries it
     * stamped need not remember those.
     *
     * @return the stamp the entry was stored with (so a near cache can keep the value under it),
     *         or null when neither proof holds (the load may be stale; nothing stored)
     */
    Fingerprint stamp(String entryKey, byte[] payload, Collection<String> tags, List<EpochValue> watched,
                      long since, Duration entryTtl, boolean tagsKnownToCaller);

    /**
     * {@link #stamp} without waiting for it: a read that missed can return its load while the
     * store's proof runs. The stage completes with what {@code stamp} returns, or exceptionally
     * with what it throws. The default runs {@code stamp} on the calling thread.
     */
    default CompletionStage<Fingerprint> stampAsync(String entryKey, byte[] payload, Collection<String> tags,
                                                    List<EpochValue> watched, long since, Duration entryTtl,
                                                    boolean tagsKnownToCaller) {
        try {
            return CompletableFuture.completedFuture(
                    stamp(entryKey, payload, tags, watched, since, entryTtl, tagsKnownToCaller));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** {@link #stamp} for a caller that does not name tags on reads: true when stored. */
    default boolean store(String entryKey, byte[] payload, Collection<String> tags, List<EpochValue> watched,
                          Duration entryTtl) {
        return stamp(entryKey, payload, tags, watched, 0, entryTtl, false) != null;
    }

    /**
     * Moves every given counter in one step: epochs always (created when absent), dependency tags
     * when present.
     *
     * @return the number of counters moved or created
     */
    long bump(Collection<String> epochTags, Collection<String> tags);

    /** The current generation of each tag, in order; null where a tag has none yet. */
    List<String> generations(List<String> tags);

    /** Removes one entry. */
    void evict(String entryKey);

    @Override
    void close();

    /**
     * An epoch tag and the value read before a load. A read creates absent epochs, so "" (none)
     * only comes from a caller that built it itself; a store never matches it.
     */
    record EpochValue(String tag, String value) {
    }

    /** Outcome of {@link #read}. */
    enum Status {
        /** The entry exists and every generation it was stamped with is current. */
        HIT,
        /** No entry. */
        ABSENT,
        /** The entry exists but a generation moved or vanished since it was stamped. */
        STALE,
        /** Bytes under the key are not a stamped entry. */
        FOREIGN
    }

    /**
     * @param status  what was found
     * @param payload the entry's payload on {@link Status#HIT}, else null
     * @param epochs  the epoch values on a non-hit, in the order asked (absent ones created first)
     * @param stamp   the entry's stamp on {@link Status#HIT}, else null
     * @param since   on a non-hit, the store's clock (microseconds) read before the caller's load,
     *                for {@link #stamp(String, byte[], Collection, List, long, Duration, boolean)};
     *                0 when the store gives none
     */
    record ReadResult(Status status, byte[] payload, List<EpochValue> epochs, Fingerprint stamp, long since) {

        /** A non-hit (no stamp) without a clock reading. */
        public ReadResult(Status status, byte[] payload, List<EpochValue> epochs) {
            this(status, payload, epochs, null, 0);
        }

        /** A non-hit whose load starts after the store's clock read {@code since}. */
        public static ReadResult miss(Status status, List<EpochValue> epochs, long since) {
            return new ReadResult(status, null, epochs, null, since);
        }

        /** A hit of {@code payload} stamped with {@code stamp}. */
        public static ReadResult hit(byte[] payload, Fingerprint stamp) {
            return new ReadResult(Status.HIT, payload, List.of(), stamp, 0);
        }

        public boolean hit() {
            return status == Status.HIT;
        }
    }

    /**
     * What a backend needs to build its store beyond the two backends.
     *
     * @param bump            how bumps are bounded, split and acknowledged by replicas
     * @param counterTtlFloor counters stamped into an entry live at least this long (and at least
     *                        as long as the entry); {@link Duration#ZERO} keeps them forever
     * @param clock           where an in-process store takes the value of a new counter from
     */
    record Options(BumpSettings bump, Duration counterTtlFloor, Clock clock) {

        /** How long counters outlive the entries stamped with them, at least. */
        public static final Duration DEFAULT_COUNTER_TTL_FLOOR = Duration.ofMinutes(10);

        public Options {
            Objects.requireNonNull(bump, "bump");
            Objects.requireNonNull(counterTtlFloor, "counterTtlFloor");
            Objects.requireNonNull(clock, "clock");
        }

        /** The options {@code config} gives, counters created from {@code clock} in memory. */
        public static Options of(CacheConfig config, Clock clock) {
            return new Options(config.bump(), DEFAULT_COUNTER_TTL_FLOOR, clock);
        }
    }
}
