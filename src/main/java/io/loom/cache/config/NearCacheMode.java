package io.loom.cache.config;

import java.util.Locale;

/** How a node knows that a value kept in its near cache is still current. */
public enum NearCacheMode {
    /** No near cache: every hit transfers and decodes the entry. */
    OFF,
    /**
     * Every hit asks Redis for the entry's counters (one small MGET, nothing transferred or
     * decoded): exactly the guarantee of a Redis hit. The default.
     */
    VALIDATED,
    /**
     * Hits cost no round trip: every bump publishes the tags it moved and each node drops what they
     * touch. A commit is seen at once on the node that made it, and on other nodes as soon as its
     * message arrives (normally well under a millisecond), never later than {@code max-lag} even if
     * the link silently fails (values are then validated by round trip until it recovers).
     * Redis backends only; on the memory backend it acts as {@link #VALIDATED}.
     */
    PUSHED,
    /**
     * Hits cost no round trip and are never stale: each node holds a lease in Redis and
     * acknowledges every pushed invalidation; a commit returns once every node holding a lease has
     * acknowledged it or its lease ran out (at most {@code lease} + {@code drift-margin}). A node
     * whose lease lapsed (paused, cut off) validates by round trip until it holds one again.
     * Redis backends only; on the memory backend it acts as {@link #VALIDATED}.
     */
    LEASED;

    /** Parses {@code off} / {@code validated} / {@code pushed} / {@code leased} (case-insensitive); null if unknown. */
    static NearCacheMode parse(String text) {
        for (NearCacheMode mode : values()) {
            if (mode.name().equalsIgnoreCase(text.trim())) {
                return mode;
            }
        }
        return null;
    }

    /** The configuration spelling of this mode. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
