package io.loom.cache.internal.read;

/**
 * Why a load was not stored, or why a read did not use the cache at all: the keys of
 * {@link io.loom.cache.stats.CacheStats#storesSkipped()} and {@link io.loom.cache.stats.CacheStats#bypassed()}.
 */
public enum SkipReason {
    /** A write to what the load may read committed while it ran. */
    CONCURRENT_WRITE("concurrentWrite"),
    /** The encoded value exceeded {@code max-value-bytes}. */
    TOO_LARGE("tooLarge"),
    /**
     * The load ran inside a caller's transaction or unit of work, whose snapshot may predate the
     * generations read before the load.
     */
    CALLER_TRANSACTION("callerTransaction"),
    /** The load read rows of an entity the lookup did not watch (the next load watches it). */
    UNWATCHED_ENTITY("unwatchedEntity"),
    /** A lookup that watched only its own tags turned out to depend on more. */
    UNEXPECTED_TAGS("unexpectedTags"),
    /** "Not found" with negative caching off, or a value its loader marked not cacheable. */
    NOT_CACHEABLE("notCacheable"),
    /** The store itself failed (counted as a fallback too). */
    STORE_FAILED("storeFailed"),
    /** Bypass: the circuit breaker is open after a cache failure. */
    CIRCUIT_OPEN("circuitOpen"),
    /** Bypass: this node holds committed invalidations not yet delivered. */
    PENDING_INVALIDATIONS("pendingInvalidations"),
    /** Bypass: the caller's unit of work holds uncommitted changes; the read is served from it. */
    UNCOMMITTED_CHANGES("uncommittedChanges");

    private final String label;

    SkipReason(String label) {
        this.label = label;
    }

    /** True for the reasons a read skipped the cache entirely, false for a load that was not stored. */
    public boolean bypass() {
        return this == CIRCUIT_OPEN || this == PENDING_INVALIDATIONS || this == UNCOMMITTED_CHANGES;
    }

    /** The name under which the stats count it. */
    public String label() {
        return label;
    }
}
