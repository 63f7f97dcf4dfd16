package io.loom.cache.internal.near;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/*
 * Why a value served without a round trip is current (pushed validation).
 *
 * Positions: every invalidation this node learns of (a message from the channel, or its own bump
 * once Redis applied it) takes the next local position and is recorded per tag. A value kept in
 * the near cache carries the position taken BEFORE the Redis read or store that proved its stamp
 * current. Any bump applied in Redis before that read was either already recorded (position at
 * most the value's: the read saw it, so the stamp reflects it) or is recorded later (position
 * above the value's: the value is no longer trusted). So a value is current if none of its tags
 * was recorded after its position.
 *
 * Delivery: the channel carries Redis's own sequence number. A gap (or a sequence going back, after
 * a Redis restart) means this node missed a message: it forgets everything (reset raises the floor
 * above every position handed out). Nothing is trusted before the first heartbeat of this node
 * comes back (the baseline, also a reset), nor when the last one that came back in sequence was
 * sent more than maxLag ago: a silent link cannot hide a missed invalidation for longer than that.
 *
 * Readers check the tags first and the floor last; reset raises the floor before it clears the
 * tags, so a reader never misses both.
 *
 * Blocks (leased mode, LeaseMembership): another node's prepare blocks its tags, so no value of
 * them is served without a round trip, until the bump that completes the prepare is applied or the
 * block's time runs out. Lifting a block records its tags again (at a position above every value
 * kept while it held) before it unblocks them, and readers check blocks before tags: a reader that
 * finds a tag unblocked finds it recorded. Resets do not lift blocks.
 *
 * Own bumps' clocks: this node's own bump returns a server time read after its moves (Bumped.clock).
 * A load that begins after that reply may be stored with it as its since (store.lua's precise
 * proof), whatever the log says: every bump Redis runs later sets the tags it moves to at least that
 * time, so a load that missed a commit is refused. The log only says when that is worth doing
 * instead of reading the entry and the counters first (sinceOwnBumps): when the tags that made a
 * kept value stale were last moved by this node (so the entry in Redis is stale too) and no tag of
 * it was recorded after the latest own bump (so its clock is likely above them all). The echo of an
 * own bump (its message, which this node receives too) is not recorded again: the bump was recorded
 * when its reply came, before commit() returned, and a value kept after that was proven by a read
 * that began after the bump ran in Redis. An echo that arrives before the reply is recorded; the
 * reply's record then comes after it.
 */
/**
 * This node's record of invalidations pushed by Redis, against which near-cache values are
 * checked without a round trip. Thread-safe.
 */
public final class InvalidationLog {

    /** Tags remembered before the log resets itself (forgetting all is always safe). */
    static final int MAX_TAGS = 65_536;

    private final long maxLagNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong position = new AtomicLong();
    private final Map<String, Long> invalidatedAt = new ConcurrentHashMap<>();
    private volatile long floor = Long.MAX_VALUE;
    private volatile long healthySinceSentNanos;
    private volatile boolean healthy;
    /** Blocks by prepare sequence; written under itself. */
    private final Map<Long, Block> blocks = new HashMap<>();
    /** How many blocks hold each tag; written under {@link #blocks}. */
    private final Map<String, Integer> blockedTags = new ConcurrentHashMap<>();
    private volatile int blockCount;
    /** The earliest end of a block held, on this log's clock. */
    private volatile long nextBlockEnd = Long.MAX_VALUE;
    /** Tags whose move this node's own bump recorded, at that position. */
    private final Map<String, Long> ownMovedAt = new ConcurrentHashMap<>();
    /** Guards {@link #ownSequences} and the writes of {@link #ownBumps}. */
    private final Object ownLock = new Object();
    /** The highest position and the highest server clock of this node's own bumps; written under ownLock. */
    private volatile OwnBumps ownBumps = new OwnBumps(0, 0);
    /** The message sequences of this node's latest own bumps (a ring); under ownLock. */
    private final long[] ownSequences = new long[64];
    private int ownSequenceNext;

    private record OwnBumps(long position, long clock) {
    }

    private record Block(List<String> tags, long endsAt) {
    }

    public InvalidationLog(long maxLagNanos, LongSupplier nanoTime) {
        this.maxLagNanos = maxLagNanos;
        this.nanoTime = nanoTime;
    }

    /** The position to store with a value read from Redis after this call. */
    public long position() {
        return position.get();
    }

    /** Records that {@code tags} moved (this node's bump, once applied, or a pushed message). */
    public void invalidate(Collection<String> tags) {
        record(tags);
    }

    /**
     * Records that this node's own bump moved {@code tags}; {@code clock} is the server time its
     * reply carries (0 when unknown), for {@link #sinceOwnBumps}, and {@code sequence} the sequence
     * of its message, which comes back to this node too ({@link #invalidatePushed}).
     */
    public void invalidateOwn(Collection<String> tags, long clock, long sequence) {
        if (sequence != 0) {
            synchronized (ownLock) { // before recording: an echo that misses it was recorded earlier
                ownSequences[ownSequenceNext] = sequence;
                ownSequenceNext = (ownSequenceNext + 1) % ownSequences.length;
            }
        }
        long at = record(tags);
        if (clock > 0) {
            markOwn(tags, at, clock);
        }
    }

    /**
     * Records a message of the channel numbered {@code sequence}, unless it is the echo of this
     * node's own bump, which {@link #invalidateOwn} records: every value kept after that record was
     * proven by a read that began after the bump ran in Redis, so recording the echo again would
     * only drop current values.
     */
    public void invalidatePushed(long sequence, Collection<String> tags) {
        if (sequence != 0) {
            synchronized (ownLock) {
                for (long own : ownSequences) {
                    if (own == sequence) {
                        return;
                    }
                }
            }
        }
        record(tags);
    }

    private void markOwn(Collection<String> tags, long at, long clock) {
        for (String tag : tags) {
            ownMovedAt.put(tag, at);
        }
        synchronized (ownLock) {
            OwnBumps known = ownBumps;
            ownBumps = new OwnBumps(Math.max(known.position(), at), Math.max(known.clock(), clock));
        }
    }

    private long record(Collection<String> tags) {
        long at = position.incrementAndGet();
        for (String tag : tags) {
            invalidatedAt.put(tag, at);
        }
        if (invalidatedAt.size() > MAX_TAGS) {
            reset();
        }
        return at;
    }

    /**
     * The clock of this node's own bumps, when a value stamped with {@code tags} went stale by them:
     * some tag was last moved by an own bump, no tag is blocked and none was recorded after the
     * latest own bump. 0 otherwise. A load that begins after this call may be stored with it as
     * its {@code since} without reading the counters first.
     */
    public long sinceOwnBumps(List<String> tags) {
        OwnBumps own = ownBumps;
        if (own.clock() == 0 || own.position() < floor) {
            return 0; // none yet, or a reset since forgot what was recorded
        }
        if (blockCount > 0) {
            for (String tag : tags) {
                if (blockedTags.containsKey(tag)) {
                    return 0;
                }
            }
        }
        boolean movedByOwnBump = false;
        for (String tag : tags) {
            Long at = invalidatedAt.get(tag);
            if (at == null) {
                continue;
            }
            if (at > own.position()) {
                return 0;
            }
            movedByOwnBump |= at.equals(ownMovedAt.get(tag));
        }
        return movedByOwnBump ? own.clock() : 0;
    }

    /**
     * Another node's prepare {@code sequence}: records {@code tags} and serves none of their values
     * without a round trip until {@link #lift} of it or {@code nanos} from now.
     */
    public void block(long sequence, List<String> tags, long nanos) {
        long endsAt = nanoTime.getAsLong() + nanos;
        synchronized (blocks) {
            if (blocks.putIfAbsent(sequence, new Block(List.copyOf(tags), endsAt)) == null) {
                for (String tag : tags) {
                    blockedTags.merge(tag, 1, Integer::sum);
                }
                blockCount = blocks.size();
                nextBlockEnd = Math.min(nextBlockEnd, endsAt);
            }
        }
        invalidate(tags);
    }

    /**
     * Lifts the block of prepare {@code sequence} (its bump was applied), recording its tags first.
     *
     * @return whether this log held that block
     */
    public boolean lift(long sequence) {
        synchronized (blocks) {
            Block block = blocks.remove(sequence);
            if (block == null) {
                return false;
            }
            unblock(block);
            nextBlockEnd = blocks.values().stream().mapToLong(Block::endsAt).min().orElse(Long.MAX_VALUE);
            return true;
        }
    }

    /** Lifts every block whose time ran out. */
    private void liftEnded() {
        long now = nanoTime.getAsLong();
        synchronized (blocks) {
            long next = Long.MAX_VALUE;
            for (var it = blocks.values().iterator(); it.hasNext(); ) {
                Block block = it.next();
                if (now - block.endsAt() >= 0) {
                    it.remove();
                    unblock(block);
                } else {
                    next = Math.min(next, block.endsAt());
                }
            }
            nextBlockEnd = next;
        }
    }

    private void unblock(Block block) {
        invalidate(block.tags()); // before unblocking: a reader that finds them unblocked finds them recorded
        for (String tag : block.tags()) {
            blockedTags.computeIfPresent(tag, (key, count) -> count == 1 ? null : count - 1);
        }
        blockCount = blocks.size();
    }

    /** Number of prepares whose blocks this log holds. */
    public int blocks() {
        return blockCount;
    }

    /** Forgets everything: no value kept before this call is trusted without a round trip. */
    public void reset() {
        floor = position.incrementAndGet();
        invalidatedAt.clear();
        ownMovedAt.clear();
    }

    /** A heartbeat of this node sent at {@code sentNanos} came back in sequence. */
    public void heartbeatReturned(long sentNanos) {
        if (sentNanos > healthySinceSentNanos || !healthy) {
            healthySinceSentNanos = sentNanos;
        }
        healthy = true;
    }

    /** True when pushed invalidations are known to be arriving (a heartbeat returned within max-lag). */
    public boolean live() {
        return healthy && nanoTime.getAsLong() - healthySinceSentNanos <= maxLagNanos;
    }

    /**
     * What this log knows of a value stamped with {@code tags} and proven current at
     * {@code confirmedAt}. A tag recorded after that moved in Redis (present or not, a bumped tag
     * no longer has the generation the value was stamped with), so such a value is stale whether
     * or not the log is live.
     */
    public Verdict verdict(List<String> tags, long confirmedAt) {
        boolean blocked = false;
        if (blockCount > 0) {
            if (nanoTime.getAsLong() - nextBlockEnd >= 0) {
                liftEnded();
            }
            for (String tag : tags) {
                blocked |= blockedTags.containsKey(tag);
            }
        }
        for (String tag : tags) {
            Long at = invalidatedAt.get(tag);
            if (at != null && at > confirmedAt) {
                return Verdict.STALE;
            }
        }
        return !blocked && live() && confirmedAt >= floor ? Verdict.CURRENT : Verdict.UNKNOWN;
    }

    /** Outcome of {@link #verdict}. */
    public enum Verdict {
        /** Current: serve without a round trip. */
        CURRENT,
        /** A tag moved since the value was proven current: drop it. */
        STALE,
        /** Not known here (link not live, or messages missed): ask the store. */
        UNKNOWN
    }

    /** Now, on the clock this log measures lag with. */
    public long now() {
        return nanoTime.getAsLong();
    }
}
