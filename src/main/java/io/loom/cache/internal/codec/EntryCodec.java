package io.loom.cache.internal.codec;

/** Turns one kind of cached value into payload bytes and back. */
public interface EntryCodec<V> {

    byte[] encode(V value);

    /** @throws RuntimeException when the bytes are not a value of this kind (treated as a miss) */
    V decode(byte[] payload);

    /**
     * True when decoded values are immutable, so one decoded value may be handed to every caller
     * (the near cache keeps it instead of its bytes). False by default.
     */
    default boolean sharesValues() {
        return false;
    }
}
