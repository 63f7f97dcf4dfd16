package io.loom.cache.internal.commit;

import io.loom.cache.internal.read.CacheGuard;
import io.loom.cache.internal.read.CacheMetrics;
import io.loom.cache.invalidation.CommittedChanges;
import io.loom.cache.invalidation.GenerationalDependencyResolver;
import io.loom.cache.invalidation.Invalidation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/*
 * Delivery of committed invalidations, never throwing into the committing thread.
 *
 * A transaction's changes go out as one bump, attempted once on the committing thread; the store
 * bounds that attempt by its bump budget, so commit() never waits longer. When the bump fails
 * (backend down, slow, full, or replicas not acknowledging), the changes are kept, this node's
 * CacheGuard bypasses the cache for reads, and a background task retries all kept changes as one
 * merged bump until it succeeds; only then does this node read from the cache again.
 *
 * Every commit tries the backend, also while changes are pending and while the circuit is open:
 * it delivers its own changes together with the whole backlog, in one bump, before it returns.
 * A commit that only joined the backlog would return while other nodes still serve the entries it
 * invalidated, once Redis answers them again (they read from Redis, this node's backlog waits for
 * its next retry). The price is that during an outage each commit spends up to one bump budget
 * (a refused connection fails at once; a silent server costs the full budget).
 *
 * Counter moves commute and moving a counter twice only invalidates more, so delivering a kept
 * change again, late, or together with later ones is correct. Two deliveries of one kept change
 * (a commit and the retry task at once) are therefore harmless; whichever removes it from the
 * backlog runs its callback, so each callback runs exactly once.
 *
 * Each published change may carry a callback run once it is delivered (the durable outbox uses it
 * to delete its row); callbacks never run for changes that were not delivered.
 */
/** Delivers committed invalidations, retrying those the backend could not take. Thread-safe. */
public final class InvalidationPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InvalidationPublisher.class);
    private static final Runnable NOTHING = () -> { };

    private final GenerationalDependencyResolver resolver;
    private final CacheGuard guard;
    private final CacheMetrics metrics;
    private final ScheduledExecutorService retries;
    private final Object lock = new Object();
    private final Object retryLock = new Object();
    private final long undeliveredHoldNanos;
    private final long retryPauseNanos;
    /** When the first bump failed since the last delivery (System.nanoTime); valid while any is pending. */
    private volatile long failingSinceNanos;
    /** Kept changes, by identity (two equal changes are two commits). */
    private final Set<Pending> pending = new LinkedHashSet<>();

    /** One undelivered commit; identity, not value, equality. */
    private static final class Pending {
        final Invalidation invalidation;
        final Runnable onDelivered;

        Pending(Invalidation invalidation, Runnable onDelivered) {
            this.invalidation = invalidation;
            this.onDelivered = onDelivered;
        }
    }

    public InvalidationPublisher(GenerationalDependencyResolver resolver, CacheGuard guard, CacheMetrics metrics,
                                 Duration retryEvery) {
        this(resolver, guard, metrics, retryEvery, Duration.ZERO);
    }

    /**
     * @param undeliveredHold how long after the first failed bump of an outage a commit keeps
     *                        retrying before it returns undelivered (leased near caches:
     *                        {@link io.loom.cache.internal.near.NearCache#undeliveredCommitHold()})
     */
    public InvalidationPublisher(GenerationalDependencyResolver resolver, CacheGuard guard, CacheMetrics metrics,
                                 Duration retryEvery, Duration undeliveredHold) {
        this.undeliveredHoldNanos = undeliveredHold.toNanos();
        this.retryPauseNanos = Math.min(retryEvery.toNanos(), TimeUnit.MILLISECONDS.toNanos(25));
        this.resolver = resolver;
        this.guard = guard;
        this.metrics = metrics;
        this.retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "loom-cache-invalidation-retry");
            thread.setDaemon(true);
            return thread;
        });
        long millis = Math.max(1, retryEvery.toMillis());
        retries.scheduleWithFixedDelay(this::retryPending, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Delivers one committed transaction's changes; keeps them for retry when that fails. Never throws. */
    public void publish(CommittedChanges changes) {
        publish(changes, NOTHING);
    }

    /**
     * Like {@link #publish(CommittedChanges)}; {@code onDelivered} runs once the changes reached the
     * backend (on this thread, or later on the retry thread). Never throws.
     */
    public void publish(CommittedChanges changes, Runnable onDelivered) {
        if (changes.isEmpty()) {
            onDelivered.run();
            return;
        }
        Invalidation invalidation;
        try {
            invalidation = resolver.resolve(changes);
        } catch (RuntimeException e) {
            LOG.error("Loom Cache could not resolve a committed transaction's invalidations", e);
            return;
        }
        publish(invalidation, onDelivered);
    }

    /** {@link #publish(Invalidation, Runnable)} without a callback. */
    public void publish(Invalidation invalidation) {
        publish(invalidation, NOTHING);
    }

    /**
     * Delivers a resolved invalidation, with every kept one, in one bump; keeps it for retry when
     * that fails. Never throws.
     */
    public void publish(Invalidation invalidation, Runnable onDelivered) {
        Pending item = new Pending(invalidation, onDelivered);
        List<Pending> backlog = snapshot();
        Invalidation merged = merge(backlog, invalidation);
        try {
            resolver.bump(merged);
        } catch (RuntimeException e) {
            boolean first;
            synchronized (lock) {
                first = pending.isEmpty();
                if (first) {
                    failingSinceNanos = System.nanoTime();
                }
                pending.add(item);
                guard.pendingInvalidations(true);
            }
            metrics.bumpFailed();
            guard.failed(e);
            if (first) {
                LOG.warn("Loom Cache could not deliver invalidations ({}); this node reads from the database "
                        + "until they are delivered", e.toString());
            }
            holdWhileUndelivered(item);
            return;
        }
        metrics.bumpDelivered();
        notifyDelivered(List.of(item));
        if (!backlog.isEmpty()) {
            delivered(backlog);
        }
    }

    /*
     * Leased near caches serve kept values without asking Redis while their lease lasts. A commit
     * whose bump did not reach Redis told no node, so returning at once would let a node holding a
     * lease from before the failure serve the old value after commit() returned. The commit keeps
     * retrying (with the backlog) and returns once delivered, its acknowledgements awaited as for
     * any bump, or once the hold has passed since the first failure of this outage: every renewal
     * Redis ran before it stopped answering was sent before that failure, so by then every lease it
     * granted has ended on its node's own clock (LeaseMembership), and a node that renews on a
     * restarted Redis sees the sequence jump and forgets what it kept. A later commit of the same
     * outage waits only for what is left of that hold. (A writer cut off from a Redis that other
     * nodes still reach is not covered by waiting: the retries and the outbox bound that case, as
     * in every mode: docs/CONSISTENCY.md 8b.)
     */
    private void holdWhileUndelivered(Pending item) {
        if (undeliveredHoldNanos <= 0) {
            return;
        }
        long deadline = failingSinceNanos + undeliveredHoldNanos;
        while (isPending(item)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(left, retryPauseNanos));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            retryPending();
        }
    }

    private boolean isPending(Pending item) {
        synchronized (lock) {
            return pending.contains(item);
        }
    }

    /** Number of committed transactions whose invalidations are not delivered yet. */
    public int pendingCount() {
        synchronized (lock) {
            return pending.size();
        }
    }

    /** Tries once to deliver everything pending (also run periodically in the background). */
    public void retryPending() {
        synchronized (retryLock) {
            List<Pending> batch = snapshot();
            if (batch.isEmpty()) {
                return;
            }
            try {
                resolver.bump(merge(batch, null));
            } catch (RuntimeException e) {
                guard.failed(e);
                return;
            }
            delivered(batch);
        }
    }

    private List<Pending> snapshot() {
        synchronized (lock) {
            return pending.isEmpty() ? List.of() : List.copyOf(pending);
        }
    }

    private static Invalidation merge(List<Pending> backlog, Invalidation own) {
        Invalidation merged = own;
        for (Pending item : backlog) {
            merged = merged == null ? item.invalidation : merged.plus(item.invalidation);
        }
        return merged;
    }

    /** Removes a delivered backlog; runs the callbacks of the items this call removed. */
    private void delivered(List<Pending> batch) {
        List<Pending> removed = new ArrayList<>(batch.size());
        synchronized (lock) {
            for (Pending item : batch) {
                if (pending.remove(item)) {
                    removed.add(item);
                }
            }
            if (pending.isEmpty()) {
                guard.pendingInvalidations(false);
            }
        }
        if (removed.isEmpty()) {
            return;
        }
        for (int i = 0; i < removed.size(); i++) {
            metrics.bumpDelivered();
        }
        guard.succeeded();
        LOG.info("Loom Cache delivered {} pending invalidation batch(es); cache reads resume", removed.size());
        notifyDelivered(removed);
    }

    private static void notifyDelivered(List<Pending> delivered) {
        for (Pending item : delivered) {
            try {
                item.onDelivered.run();
            } catch (RuntimeException e) {
                LOG.warn("Loom Cache delivery callback failed", e);
            }
        }
    }

    @Override
    public void close() {
        retries.shutdownNow();
    }
}
