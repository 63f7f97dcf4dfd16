package io.loom.cache.internal.near;

import io.loom.cache.invalidation.Fingerprint;

/**
 * One value kept in the near cache. Either the decoded value itself (when values of its type are
 * immutable and can be shared between callers) or its payload, decoded on every hit.
 *
 * @param value         the shared value (null for a cached "not found", or when {@code payload} is set)
 * @param payload       the payload to decode per hit, or null when {@code value} is shared
 * @param stamp         the stamp of the entry the value came from
 * @param confirmedAt   {@link InvalidationLog#position()} taken before the read that last proved the
 *                      stamp current
 * @param deadlineNanos {@link System#nanoTime()} after which the value is dropped (the entry's time to live)
 */
public record NearEntry(Object value, byte[] payload, Fingerprint stamp, long confirmedAt, long deadlineNanos) {

    /** The same value, proven current again at {@code position}. */
    NearEntry confirmedAt(long position) {
        return new NearEntry(value, payload, stamp, position, deadlineNanos);
    }
}
