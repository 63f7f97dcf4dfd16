package io.loom.cache.repository;

import io.loom.cache.error.LoomException;

/**
 * A pagination cursor that is not a token this repository issued for this query: garbage,
 * tampered with, or issued for a different sort, filter set or entity.
 */
public class InvalidCursorException extends LoomException {

    public InvalidCursorException(String message) {
        super(message);
    }

    public InvalidCursorException(String message, Throwable cause) {
        super(message, cause);
    }
}
