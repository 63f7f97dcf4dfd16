package io.loom.cache.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the near cache: decoded values kept in each node under the stamp of their entry, so
 * a hit needs no payload transfer and no decoding (see {@link NearCacheMode} for how they are
 * checked). Values of mutable types are kept as bytes and decoded per hit, never shared.
 *
 * @param mode        how kept values are checked; {@link NearCacheMode#OFF} disables the near cache
 * @param maxEntries  values kept per node at most
 * @param maxLag      {@link NearCacheMode#PUSHED} only: how old this node's last returned heartbeat
 *                    may be before hits go back to a round trip
 * @param lease       {@link NearCacheMode#LEASED} only: how long a renewal keeps a node a member
 *                    (by Redis time from when Redis ran it)
 * @param renewal     {@link NearCacheMode#LEASED} only: how often a node renews its lease; shorter
 *                    than {@code lease - driftMargin}
 * @param driftMargin {@link NearCacheMode#LEASED} only: how much sooner than the lease a node stops
 *                    serving on its own clock, and how much longer writers wait (clock rate drift
 *                    between nodes and Redis)
 * @param ackTimeout  {@link NearCacheMode#LEASED} only: the longest a commit waits for
 *                    acknowledgements; a commit never waits beyond {@code lease + driftMargin},
 *                    and a shorter value trades the guarantee for shorter waits while a node is
 *                    unresponsive (such commits are logged)
 */
public record NearCacheSettings(NearCacheMode mode, long maxEntries, Duration maxLag, Duration lease,
                                Duration renewal, Duration driftMargin, Duration ackTimeout) {

    public static final long DEFAULT_MAX_ENTRIES = 10_000;
    public static final Duration DEFAULT_MAX_LAG = Duration.ofMillis(200);
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(1);
    public static final Duration DEFAULT_DRIFT_MARGIN = Duration.ofMillis(50);

    /** The default: validated, {@value #DEFAULT_MAX_ENTRIES} entries. */
    public static final NearCacheSettings DEFAULT =
            new NearCacheSettings(NearCacheMode.VALIDATED, DEFAULT_MAX_ENTRIES, DEFAULT_MAX_LAG);

    /** @throws CacheConfigException naming the {@code near-cache.*} key of an invalid value */
    public NearCacheSettings {
        if (mode == null) {
            throw new CacheConfigException(key(CacheSettings.NEAR_MODE), "must be one of off, validated, pushed, leased");
        }
        if (maxEntries <= 0) {
            throw new CacheConfigException(key(CacheSettings.NEAR_MAX_ENTRIES), "must be positive, got " + maxEntries);
        }
        positive(CacheSettings.NEAR_MAX_LAG, maxLag);
        positive(CacheSettings.NEAR_LEASE, lease);
        positive(CacheSettings.NEAR_RENEWAL, renewal);
        positive(CacheSettings.NEAR_ACK_TIMEOUT, ackTimeout);
        Objects.requireNonNull(driftMargin, "driftMargin");
        if (driftMargin.isNegative() || driftMargin.compareTo(lease) >= 0) {
            throw new CacheConfigException(key(CacheSettings.NEAR_DRIFT_MARGIN), "must be at least 0 and below "
                    + key(CacheSettings.NEAR_LEASE) + " (" + lease.toMillis() + " ms), got " + driftMargin.toMillis() + " ms");
        }
        if (renewal.compareTo(lease.minus(driftMargin)) >= 0) {
            throw new CacheConfigException(key(CacheSettings.NEAR_RENEWAL), "must be shorter than "
                    + key(CacheSettings.NEAR_LEASE) + " minus " + key(CacheSettings.NEAR_DRIFT_MARGIN) + " ("
                    + lease.minus(driftMargin).toMillis() + " ms), or the lease lapses between renewals; got "
                    + renewal.toMillis() + " ms");
        }
    }

    /** Mode, size and max-lag, with the default lease settings. */
    public NearCacheSettings(NearCacheMode mode, long maxEntries, Duration maxLag) {
        this(mode, maxEntries, maxLag, DEFAULT_LEASE, DEFAULT_LEASE.dividedBy(3), DEFAULT_DRIFT_MARGIN,
                DEFAULT_LEASE.plus(DEFAULT_DRIFT_MARGIN));
    }

    /** These settings in {@code mode}. */
    public static NearCacheSettings of(NearCacheMode mode) {
        return new NearCacheSettings(mode, DEFAULT_MAX_ENTRIES, DEFAULT_MAX_LAG);
    }

    /**
     * {@link NearCacheMode#LEASED} with {@code lease}, renewed every third of it, with
     * {@code driftMargin} and the acknowledgement timeout {@code lease + driftMargin}.
     */
    public static NearCacheSettings leased(Duration lease, Duration driftMargin) {
        return new NearCacheSettings(NearCacheMode.LEASED, DEFAULT_MAX_ENTRIES, DEFAULT_MAX_LAG, lease,
                lease.dividedBy(3), driftMargin, lease.plus(driftMargin));
    }

    public boolean enabled() {
        return mode != NearCacheMode.OFF;
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new CacheConfigException(key(name), "must be positive, got " + value.toMillis() + " ms");
        }
    }

    private static String key(String name) {
        return CacheSettings.NEAR_CACHE + "." + name;
    }
}
