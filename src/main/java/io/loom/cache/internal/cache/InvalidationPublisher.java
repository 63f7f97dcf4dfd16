package io.loom.cache.internal.cache;

import io.loom.cache.invalidation.CommittedChanges;
import io.loom.cache.invalidation.GenerationalDependencyResolver;
import io.loom.cache.invalidation.Invalidation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/*
 * Delivery of committed invalidations, never throwing into the committing thread.
 *
 * A transaction's changes go out as one bump. When the bump fails (cache backend down), the
 * changes are kept, this node's CacheGuard bypasses the cache for reads, and a background task
 * retries all kept changes as one merged bump until it succeeds; only then does this node read
 * from the cache again.
 *
 * While changes are pending, a new commit does not try the backend itself: it joins the backlog
 * and returns at once, so commits do not each pay a timeout during an outage (the node bypasses
 * the cache meanwhile, so it still reads its own writes). Counter moves commute, so delivering the
 * backlog after later commits is correct. The retry runs outside the lock commits take.
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
    private final List<Pending> pending = new ArrayList<>();

    private record Pending(Invalidation invalidation, Runnable onDelivered) {
    }

    public InvalidationPublisher(GenerationalDependencyResolver resolver, CacheGuard guard, CacheMetrics metrics,
                                 Duration retryEvery) {
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

    /** Delivers a resolved invalidation, keeping it for retry when that fails. Never throws. */
    public void publish(Invalidation invalidation, Runnable onDelivered) {
        Pending item = new Pending(invalidation, onDelivered);
        synchronized (lock) {
            if (!pending.isEmpty()) {
                pending.add(item); // the backend is known to be failing: join the backlog
                metrics.bumpFailed();
                return;
            }
        }
        try {
            bumpWithOneRetry(invalidation);
            metrics.bumpDelivered();
            notifyDelivered(List.of(item));
        } catch (RuntimeException e) {
            synchronized (lock) {
                pending.add(item);
                guard.pendingInvalidations(true);
            }
            metrics.bumpFailed();
            guard.failed(e);
            LOG.warn("Loom Cache could not deliver invalidations ({}); this node reads from the database "
                    + "until they are delivered", e.toString());
        }
    }

    /**
     * A transient failure (a timeout on a busy client) would leave other nodes reading the old
     * entries until the background retry: try once more on the committing thread first. A backend
     * that is really down refuses the connection at once, so the second try costs little.
     */
    private void bumpWithOneRetry(Invalidation invalidation) {
        try {
            resolver.bump(invalidation);
        } catch (RuntimeException first) {
            try {
                resolver.bump(invalidation);
            } catch (RuntimeException second) {
                second.addSuppressed(first);
                throw second;
            }
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
            List<Pending> batch;
            synchronized (lock) {
                if (pending.isEmpty()) {
                    return;
                }
                batch = List.copyOf(pending);
            }
            Invalidation merged = batch.get(0).invalidation();
            for (int i = 1; i < batch.size(); i++) {
                merged = merged.plus(batch.get(i).invalidation());
            }
            try {
                resolver.bump(merged);
            } catch (RuntimeException e) {
                guard.failed(e);
                return;
            }
            synchronized (lock) {
                pending.subList(0, batch.size()).clear(); // only this method removes, from the front
                if (pending.isEmpty()) {
                    guard.pendingInvalidations(false);
                }
            }
            for (int i = 0; i < batch.size(); i++) {
                metrics.bumpDelivered();
            }
            guard.succeeded();
            LOG.info("Loom Cache delivered {} pending invalidation batch(es); cache reads resume", batch.size());
            notifyDelivered(batch);
        }
    }

    private static void notifyDelivered(List<Pending> delivered) {
        for (Pending item : delivered) {
            try {
                item.onDelivered().run();
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
