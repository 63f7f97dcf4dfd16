package io.loom.cache.benchmarks;

import io.loom.cache.error.LoomException;

/** A benchmark could not set up or reach its data (database, Redis, a child redis-server). */
public final class BenchException extends LoomException {

    private static final long serialVersionUID = 1L;

    public BenchException(String message, Throwable cause) {
        super(message, cause);
    }

    public BenchException(String message) {
        super(message);
    }
}
