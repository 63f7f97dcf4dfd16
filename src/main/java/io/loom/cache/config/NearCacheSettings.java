package io.loom.cache.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the near cache: decoded values kept in each node under the stamp of their entry, so
 * a hit needs no payload transfer and no decoding (see {@link NearCacheMode} for how they are
 * checked). Values of mutable types are kept as bytes and decoded per hit, never shared.
 *
 * @param mode       how kept values are checked; {@link NearCacheMode#OFF} disables the near cache
 * @param maxEntries values kept per node at most
 * @param maxLag     {@link NearCacheMode#PUSHED} only: how old this node's last returned heartbeat
 *                   may be before hits go back to a round trip
 */
public record NearCacheSettings(NearCacheMode mode, long maxEntries, Duration maxLag) {

    public static final long DEFAULT_MAX_ENTRIES = 10_000;
    public static final Duration DEFAULT_MAX_LAG = Duration.ofMillis(200);

    /** The default: validated, {@value #DEFAULT_MAX_ENTRIES} entries. */
    public static final NearCacheSettings DEFAULT =
            new NearCacheSettings(NearCacheMode.VALIDATED, DEFAULT_MAX_ENTRIES, DEFAULT_MAX_LAG);

    /** @throws CacheConfigException naming the {@code near-cache.*} key of an invalid value */
    public NearCacheSettings {
        if (mode == null) {
            throw new CacheConfigException(CacheSettings.NEAR_CACHE + "." + CacheSettings.NEAR_MODE,
                    "must be one of off, validated, pushed");
        }
        if (maxEntries <= 0) {
            throw new CacheConfigException(CacheSettings.NEAR_CACHE + "." + CacheSettings.NEAR_MAX_ENTRIES,
                    "must be positive, got " + maxEntries);
        }
        Objects.requireNonNull(maxLag, "maxLag");
        if (maxLag.isNegative() || maxLag.isZero()) {
            throw new CacheConfigException(CacheSettings.NEAR_CACHE + "." + CacheSettings.NEAR_MAX_LAG,
                    "must be positive, got " + maxLag.toMillis() + " ms");
        }
    }

    /** These settings in {@code mode}. */
    public static NearCacheSettings of(NearCacheMode mode) {
        return new NearCacheSettings(mode, DEFAULT_MAX_ENTRIES, DEFAULT_MAX_LAG);
    }

    public boolean enabled() {
        return mode != NearCacheMode.OFF;
    }
}
