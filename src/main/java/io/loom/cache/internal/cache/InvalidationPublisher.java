package io.loom.cache.internal.cache;

import io.loom.cache.invalidation.CommittedChanges;
import io.loom.cache.invalidation.DependencyResolver;
import io.loom.cache.invalidation.MutationEvent;
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
 * A transaction's changes go out as one bump. When the bump fails (cache backend down), the
 * changes are kept, this node's CacheGuard bypasses the cache for reads, and a background task
 * retries all kept changes as one merged bump until it succeeds; only then does this node read
 * from the cache again. While changes are pending, new ones are merged and sent with them, in order.
 */
/** Delivers committed invalidations, retrying those the backend could not take. Thread-safe. */
public final class InvalidationPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InvalidationPublisher.class);

    private final DependencyResolver resolver;
    private final CacheGuard guard;
    private final CacheMetrics metrics;
    private final ScheduledExecutorService retries;
    private final List<CommittedChanges> pending = new ArrayList<>();

    public InvalidationPublisher(DependencyResolver resolver, CacheGuard guard, CacheMetrics metrics,
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
        if (changes.isEmpty()) {
            return;
        }
        synchronized (pending) {
            pending.add(changes);
            deliverPending();
        }
    }

    /** Number of committed transactions whose invalidations are not delivered yet. */
    public int pendingCount() {
        synchronized (pending) {
            return pending.size();
        }
    }

    /** Tries once to deliver everything pending (also run periodically in the background). */
    public void retryPending() {
        synchronized (pending) {
            if (!pending.isEmpty()) {
                deliverPending();
            }
        }
    }

    private void deliverPending() {
        CommittedChanges merged = merge(pending);
        try {
            resolver.bump(merged);
            for (int i = 0; i < pending.size(); i++) {
                metrics.bumpDelivered();
            }
            if (guard.hasPendingInvalidations()) {
                LOG.info("Loom Cache delivered {} pending invalidation batch(es); cache reads resume", pending.size());
            }
            pending.clear();
            guard.pendingInvalidations(false);
            guard.succeeded();
        } catch (RuntimeException e) {
            metrics.bumpFailed();
            if (!guard.hasPendingInvalidations()) {
                LOG.warn("Loom Cache could not deliver invalidations ({}); this node reads from the database "
                        + "until they are delivered", e.toString());
            }
            guard.pendingInvalidations(true);
            guard.failed(e);
        }
    }

    private static CommittedChanges merge(List<CommittedChanges> batches) {
        if (batches.size() == 1) {
            return batches.get(0);
        }
        List<MutationEvent> events = new ArrayList<>();
        Set<CommittedChanges.CollectionChange> collections = new LinkedHashSet<>();
        Set<String> entities = new LinkedHashSet<>();
        for (CommittedChanges batch : batches) {
            events.addAll(batch.events());
            collections.addAll(batch.collections());
            entities.addAll(batch.wholeEntities());
        }
        return new CommittedChanges(events, collections, entities);
    }

    @Override
    public void close() {
        retries.shutdownNow();
    }
}
