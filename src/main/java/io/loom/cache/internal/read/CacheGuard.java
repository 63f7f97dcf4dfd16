package io.loom.cache.internal.read;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/*
 * The one place that decides whether this node may use the cache right now.
 *
 * Fail-open: a cache operation that fails trips a circuit breaker. While it is open, reads go
 * straight to the database without paying a timeout; after the open period one caller probes, and
 * a success closes the circuit. Each outage and each recovery is logged once.
 *
 * Read-your-writes under failure: when a committed transaction's invalidations could not be
 * delivered, this node bypasses the cache until they are (the publisher retries them), so it never
 * serves an entry that its own commit should have invalidated.
 */
/** Circuit breaker and pending-invalidation gate in front of the cache. Thread-safe. */
public final class CacheGuard {

    private static final Logger LOG = LoggerFactory.getLogger(CacheGuard.class);

    private final long openNanos;
    private final LongSupplier nanoClock;
    private final AtomicLong openUntil = new AtomicLong(Long.MIN_VALUE);
    private final AtomicBoolean open = new AtomicBoolean();
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile boolean pendingInvalidations;

    /**
     * @param openFor   how long the circuit stays open after a failure before a probe is allowed
     * @param nanoClock the time source ({@code System::nanoTime} outside tests)
     */
    public CacheGuard(Duration openFor, LongSupplier nanoClock) {
        this.openNanos = openFor.toNanos();
        this.nanoClock = nanoClock;
    }

    public static CacheGuard standard(Duration openFor) {
        return new CacheGuard(openFor, System::nanoTime);
    }

    /** True when a read may use the cache (one caller at a time may probe an open circuit). */
    public boolean allowCache() {
        if (pendingInvalidations) {
            return false;
        }
        if (!open.get()) {
            return true;
        }
        return nanoClock.getAsLong() - openUntil.get() >= 0 && probing.compareAndSet(false, true);
    }

    /** True when the cache is not known to be failing (invalidations may still be attempted). */
    public boolean closed() {
        return !open.get();
    }

    /** Records a failed cache operation: opens the circuit. */
    public void failed(RuntimeException error) {
        openUntil.set(nanoClock.getAsLong() + openNanos);
        probing.set(false);
        if (open.compareAndSet(false, true)) {
            LOG.warn("Loom Cache backend failed ({}); reads go to the database until it answers again", describe(error));
        }
    }

    /** Records a successful cache operation: closes the circuit. */
    public void succeeded() {
        if (open.get()) {
            probing.set(false);
            if (open.compareAndSet(true, false)) {
                LOG.info("Loom Cache backend answers again; cache reads resume");
            }
        }
    }

    /** Marks whether this node holds committed invalidations not yet delivered. */
    public void pendingInvalidations(boolean pending) {
        this.pendingInvalidations = pending;
    }

    public boolean hasPendingInvalidations() {
        return pendingInvalidations;
    }

    private static String describe(RuntimeException error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
