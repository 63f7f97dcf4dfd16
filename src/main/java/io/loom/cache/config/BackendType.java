package io.loom.cache.config;

import java.util.Locale;

/** Where an alias keeps its entries. */
public enum BackendType {
    /** Bounded in-process cache (Caffeine), per-entry TTL, optional {@code max-size}. */
    MEMORY,
    /** Redis through Redisson: single server from {@code address}, or any topology via {@code redisson-config}. */
    REDIS;

    /** Parses {@code memory} / {@code redis} (case-insensitive); null if unknown. */
    static BackendType parse(String text) {
        for (BackendType t : values()) {
            if (t.name().equalsIgnoreCase(text.trim())) {
                return t;
            }
        }
        return null;
    }

    /** The configuration spelling of this type. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
