package io.loom.cache.internal.near;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.loom.cache.invalidation.Fingerprint;

import java.time.Duration;
import java.util.Collection;

/**
 * Values this node read or stored, kept under their entry's stamp (see the package description).
 * Bounded by entry count; each value expires with its entry's time to live. Thread-safe.
 */
public final class NearCache implements AutoCloseable {

    private final Cache<String, NearEntry> entries;
    private final InvalidationLog pushed;
    private final Ticker ticker;
    private final AutoCloseable feed;
    private final Duration undeliveredCommitHold;

    /** A near cache whose values no lease vouches for ({@link #undeliveredCommitHold()} is zero). */
    public NearCache(long maxEntries, InvalidationLog pushed, Ticker ticker, AutoCloseable feed) {
        this(maxEntries, pushed, ticker, feed, Duration.ZERO);
    }

    /**
     * @param maxEntries values kept at most
     * @param pushed     the pushed invalidations to check values against without a round trip, or
     *                   null to validate every hit with the store
     * @param ticker     time source of expiry (nanoseconds)
     * @param feed       what fills {@code pushed} (closed with this cache), or null
     * @param undeliveredCommitHold see {@link #undeliveredCommitHold()}
     */
    public NearCache(long maxEntries, InvalidationLog pushed, Ticker ticker, AutoCloseable feed,
                     Duration undeliveredCommitHold) {
        this.undeliveredCommitHold = undeliveredCommitHold;
        this.pushed = pushed;
        this.ticker = ticker;
        this.feed = feed;
        this.entries = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .ticker(ticker)
                .expireAfter(new UntilDeadline(ticker))
                .build();
    }

    /**
     * How long after its bump failed a commit must keep trying before it may return: with leases,
     * lease + drift margin (every lease granted before the failure has ended by then, on every
     * node's own clock); zero otherwise. See InvalidationPublisher.
     */
    public Duration undeliveredCommitHold() {
        return undeliveredCommitHold;
    }

    /** The kept value of {@code key}, or null. */
    public NearEntry get(String key) {
        return entries.getIfPresent(key);
    }

    /**
     * What is known of {@code entry} without asking the store: with pushed validation, current or
     * stale when the log knows; otherwise (and always without pushed validation) unknown.
     */
    public InvalidationLog.Verdict verdict(NearEntry entry) {
        return pushed == null ? InvalidationLog.Verdict.UNKNOWN : pushed.verdict(entry.stamp().tags(), entry.confirmedAt());
    }

    /**
     * For a kept value found stale: a server time its load may be stored with, without reading the
     * counters first, when this node's own bumps made it stale; 0 otherwise
     * ({@link InvalidationLog#sinceOwnBumps}).
     */
    public long sinceOwnBumps(NearEntry entry) {
        return pushed == null ? 0 : pushed.sinceOwnBumps(entry.stamp().tags());
    }

    /** True when values can be served without a round trip now (pushed validation, link live). */
    public boolean pushedLive() {
        return pushed != null && pushed.live();
    }

    /** The position to take before a store read whose outcome may be kept ({@link #keep}). */
    public long position() {
        return pushed == null ? 0 : pushed.position();
    }

    /**
     * Keeps a value read or stored under {@code stamp}.
     *
     * @param value    the shared value, when {@code payload} is null
     * @param payload  the payload to decode on every hit, or null to share {@code value}
     * @param position {@link #position()} taken before the read or store
     * @param ttl      time to live of the value (its entry's); null = until evicted
     */
    public void keep(String key, Object value, byte[] payload, Fingerprint stamp, long position, Duration ttl) {
        long now = ticker.read();
        long deadline = ttl == null ? Long.MAX_VALUE : saturatedAdd(now, ttl.toNanos());
        entries.put(key, new NearEntry(value, payload, stamp, position, deadline));
    }

    /** {@code entry} was proven current again by a store read after {@code position}. */
    public void confirm(String key, NearEntry entry, long position) {
        if (pushed != null) {
            entries.asMap().replace(key, entry, entry.confirmedAt(position));
        }
    }

    /** Drops {@code entry} (no longer current); a newer value kept meanwhile stays. */
    public void drop(String key, NearEntry entry) {
        entries.asMap().remove(key, entry);
    }

    /**
     * Announces the dependency tags a commit of this thread is about to move, before the database
     * commits (leased mode: the other nodes block them and acknowledge meanwhile), keeping
     * {@code record} in Redis when given (see {@link LeaseMembership#prepare}). Does nothing in
     * the other modes. Never throws.
     *
     * @return the prepare as sent, or null when none was (no tags, no other member and no record,
     *         another mode)
     */
    public Announcement prepare(Collection<String> tags, String record, long replayMillis) {
        return feed instanceof RedisInvalidationStream stream ? stream.prepare(tags, record, replayMillis) : null;
    }

    /** {@link #prepare(Collection, String, long)} keeping no record. */
    public void prepare(Collection<String> tags) {
        prepare(tags, null, 0);
    }

    /** The transaction announced by {@link #prepare} on this thread rolled back. Never throws. */
    public void abandonPrepared() {
        if (feed instanceof RedisInvalidationStream stream) {
            stream.abandonPrepared();
        }
    }

    /** The pushed invalidations values are checked against (a test seam), or null. */
    InvalidationLog pushed() {
        return pushed;
    }

    /** Drops every kept value. */
    public void clear() {
        entries.invalidateAll();
    }

    /** Stops what feeds pushed invalidations; kept values are no longer served without a round trip. */
    @Override
    public void close() {
        clear();
        if (feed != null) {
            try {
                feed.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot stop the near cache's invalidation feed", e);
            }
        }
    }

    /** What fills the pushed invalidations (a test seam), or null. */
    AutoCloseable feed() {
        return feed;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    /** Each value lives until its own deadline, confirmations included. */
    private record UntilDeadline(Ticker ticker) implements Expiry<String, NearEntry> {
        @Override
        public long expireAfterCreate(String key, NearEntry entry, long currentTime) {
            return remaining(entry, currentTime);
        }

        @Override
        public long expireAfterUpdate(String key, NearEntry entry, long currentTime, long currentDuration) {
            return remaining(entry, currentTime);
        }

        private static long remaining(NearEntry entry, long currentTime) {
            return entry.deadlineNanos() == Long.MAX_VALUE ? Long.MAX_VALUE
                    : Math.max(0, entry.deadlineNanos() - currentTime);
        }

        @Override
        public long expireAfterRead(String key, NearEntry entry, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
