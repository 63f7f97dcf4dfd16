package io.loom.cache.hibernate.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Failures inside Loom's Hibernate listeners and completion callbacks, which are caught so that
 * the application's write still commits: counted, the first logged at ERROR with its stack trace,
 * the rest at DEBUG. Thread-safe.
 */
public final class ListenerFailures {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerFailures.class);

    private final LongAdder count = new LongAdder();
    private final AtomicBoolean logged = new AtomicBoolean();

    /** Counts and logs one failure of {@code step} (e.g. "insert of Customer"). */
    void record(String step, Throwable failure) {
        count.increment();
        if (logged.compareAndSet(false, true)) {
            LOG.error("Loom Cache listener failed ({}); the write commits and its entities are invalidated "
                    + "whole where possible. Further failures are counted and logged at DEBUG", step, failure);
        } else {
            LOG.debug("Loom Cache listener failed ({})", step, failure);
        }
    }

    /** Failures so far. */
    public long count() {
        return count.sum();
    }
}
