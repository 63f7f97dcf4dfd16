package io.loom.cache.error;

/**
 * Root of every exception Loom Cache throws. Unchecked: callers handle the specific subtypes
 * (bad query, bad cursor, bad configuration, serialization, backend unavailable) where they can.
 */
public class LoomException extends RuntimeException {

    public LoomException(String message) {
        super(message);
    }

    public LoomException(String message, Throwable cause) {
        super(message, cause);
    }
}
