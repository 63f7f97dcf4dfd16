package io.loom.cache.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How a committed transaction's bump reaches Redis (keys {@code bump.*}, see {@link CacheSettings}).
 * A bump that does not complete within {@link #timeout()} (or is not acknowledged by
 * {@link #replicas()} replicas within {@link #replicaTimeout()}) joins the node's backlog of
 * undelivered invalidations; {@code commit()} never waits longer than the timeout.
 *
 * @param timeout             the most a commit waits for its bump, null = the data alias's command
 *                            timeout
 * @param replicas            replicas that must acknowledge a bump before the commit returns (Redis
 *                            {@code WAIT}); 0 = none asked
 * @param replicaTimeout      how long the master waits for those acknowledgements
 * @param maxCountersPerCall  counters one bump script moves at most; a larger bump is split into
 *                            several scripts (sent in one round trip) so no single call holds the
 *                            single-threaded server long
 */
public record BumpSettings(Duration timeout, int replicas, Duration replicaTimeout, int maxCountersPerCall) {

    public static final Duration DEFAULT_REPLICA_TIMEOUT = Duration.ofMillis(100);
    public static final int DEFAULT_MAX_COUNTERS_PER_CALL = 1_000;

    /** The default: the command timeout, no replica acknowledgement, 1,000 counters per call. */
    public static final BumpSettings DEFAULT =
            new BumpSettings(null, 0, DEFAULT_REPLICA_TIMEOUT, DEFAULT_MAX_COUNTERS_PER_CALL);

    /** @throws CacheConfigException naming the {@code bump.*} key of an invalid value */
    public BumpSettings {
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new CacheConfigException(key(CacheSettings.BUMP_TIMEOUT), "must be positive, got "
                    + timeout.toMillis() + " ms");
        }
        if (replicas < 0) {
            throw new CacheConfigException(key(CacheSettings.BUMP_REPLICAS), "must not be negative, got " + replicas);
        }
        Objects.requireNonNull(replicaTimeout, "replicaTimeout");
        if (replicaTimeout.isNegative() || replicaTimeout.isZero()) {
            throw new CacheConfigException(key(CacheSettings.BUMP_REPLICA_TIMEOUT), "must be positive, got "
                    + replicaTimeout.toMillis() + " ms");
        }
        if (timeout != null && replicas > 0 && replicaTimeout.compareTo(timeout) >= 0) {
            throw new CacheConfigException(key(CacheSettings.BUMP_REPLICA_TIMEOUT), "must be below "
                    + key(CacheSettings.BUMP_TIMEOUT) + " (" + timeout.toMillis() + " ms), got "
                    + replicaTimeout.toMillis() + " ms: the replicas' acknowledgement is part of the bump's budget");
        }
        if (maxCountersPerCall < 1) {
            throw new CacheConfigException(key(CacheSettings.BUMP_MAX_COUNTERS_PER_CALL), "must be positive, got "
                    + maxCountersPerCall);
        }
    }

    /** The timeout a bump runs with: {@link #timeout()}, or {@code commandTimeout} when unset. */
    public Duration effectiveTimeout(Duration commandTimeout) {
        return timeout != null ? timeout : commandTimeout;
    }

    private static String key(String name) {
        return CacheSettings.BUMP + "." + name;
    }
}
