package io.loom.cache.gateway;

import io.loom.cache.error.LoomException;

/**
 * A cache backend could not serve a call: the server is unreachable, the connection broke, or the
 * call timed out. Every Redis, connection and timeout failure of a backend call surfaces as this
 * type, so callers (and a fail-open layer) have exactly one exception to handle.
 */
public class BackendUnavailableException extends LoomException {

    private final String backend;

    /**
     * @param backend short description of the backend (for example its namespace), never null
     * @param message what failed
     * @param cause   the underlying client exception, may be null
     */
    public BackendUnavailableException(String backend, String message, Throwable cause) {
        super("cache backend '" + backend + "' unavailable: " + message, cause);
        this.backend = backend;
    }

    /** The backend description given at construction. */
    public String backend() {
        return backend;
    }
}
