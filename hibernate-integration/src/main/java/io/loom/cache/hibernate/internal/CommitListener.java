package io.loom.cache.hibernate.internal;

import io.loom.cache.LoomCache;
import io.loom.cache.invalidation.CommittedChanges;
import io.loom.cache.invalidation.EntityNames;
import io.loom.cache.invalidation.MutationEvent;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.engine.spi.TransactionCompletionCallbacks;
import org.hibernate.event.spi.AbstractCollectionEvent;
import org.hibernate.event.spi.PostCollectionRecreateEvent;
import org.hibernate.event.spi.PostCollectionRecreateEventListener;
import org.hibernate.event.spi.PostCollectionRemoveEvent;
import org.hibernate.event.spi.PostCollectionRemoveEventListener;
import org.hibernate.event.spi.PostCollectionUpdateEvent;
import org.hibernate.event.spi.PostCollectionUpdateEventListener;
import org.hibernate.event.spi.PostCommitDeleteEventListener;
import org.hibernate.event.spi.PostCommitInsertEventListener;
import org.hibernate.event.spi.PostCommitUpdateEventListener;
import org.hibernate.event.spi.PostDeleteEvent;
import org.hibernate.event.spi.PostInsertEvent;
import org.hibernate.event.spi.PostUpdateEvent;
import org.hibernate.persister.entity.EntityPersister;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/*
 * How a transaction's changes become one bump, after commit, on the committing thread.
 *
 * Hibernate's post-commit events arrive one by one, and an after-completion callback registered
 * early in a transaction runs before the post-commit events of a later flush. So the listener
 * collects at flush time instead: Hibernate calls it for every insert, update, delete and
 * collection change as the statements run (the same state the post-commit events carry), and
 * the first change of a transaction registers ONE after-completion callback on the session. That
 * callback runs inside commit(), after the JDBC commit and before commit() returns; on success it
 * publishes the whole buffer as one batch (one Redis round trip), on rollback it drops it. So a
 * commit that returned has already invalidated (read-your-writes on every node), and a rollback
 * bumps nothing. The same path covers StatelessSession (which fires the flush-time events
 * immediately and never the post-commit ones) and JTA.
 *
 * With a durable outbox, the first change also registers ONE before-completion callback: it runs
 * after the final flush, inside the transaction, and writes the resolved invalidation to the
 * outbox table on the session's connection, so the row commits or rolls back with the change.
 * Once the after-completion bump is delivered the row is deleted (see InvalidationOutbox).
 *
 * The listener implements the post-commit interfaces so that, if registered for the
 * POST_COMMIT_* event types by someone else, failed commits are still told apart; it is
 * registered for the flush-time types. Nothing it does may throw into Hibernate: an exception
 * escaping an after-completion callback makes commit() throw although the rows are committed.
 */
/** Collects each transaction's changes and publishes them once the transaction commits. */
public final class CommitListener implements PostCommitInsertEventListener, PostCommitUpdateEventListener,
        PostCommitDeleteEventListener, PostCollectionRecreateEventListener, PostCollectionUpdateEventListener,
        PostCollectionRemoveEventListener {

    private static final Logger LOG = LoggerFactory.getLogger(CommitListener.class);

    private final LoomCache cache;
    private final InvalidationOutbox outbox;
    private final Map<SharedSessionContractImplementor, TransactionBuffer> open = new ConcurrentHashMap<>();

    /**
     * @param cache  receives each committed transaction's changes
     * @param outbox where each transaction's invalidation is also written durably, or null for none
     */
    public CommitListener(LoomCache cache, InvalidationOutbox outbox) {
        this.cache = cache;
        this.outbox = outbox;
    }

    @Override
    public void onPostInsert(PostInsertEvent event) {
        MutationEvents.insert(event.getPersister(), event.getId(), event.getState(), event.getSession())
                .forEach(buffer(event.getSession())::add);
    }

    @Override
    public void onPostUpdate(PostUpdateEvent event) {
        MutationEvents.update(event.getPersister(), event.getId(), event.getOldState(), event.getState(),
                event.getDirtyProperties(), event.getSession()).forEach(buffer(event.getSession())::add);
    }

    @Override
    public void onPostDelete(PostDeleteEvent event) {
        MutationEvents.delete(event.getPersister(), event.getId(), event.getDeletedState(), event.getSession())
                .forEach(buffer(event.getSession())::add);
    }

    @Override
    public void onPostRecreateCollection(PostCollectionRecreateEvent event) {
        collectionChanged(event);
    }

    @Override
    public void onPostUpdateCollection(PostCollectionUpdateEvent event) {
        collectionChanged(event);
    }

    @Override
    public void onPostRemoveCollection(PostCollectionRemoveEvent event) {
        collectionChanged(event);
    }

    @Override
    public boolean requiresPostCommitHandling(EntityPersister persister) {
        return true;
    }

    @Override
    public void onPostInsertCommitFailed(PostInsertEvent event) {
        // The buffered change is dropped with its transaction.
    }

    @Override
    public void onPostUpdateCommitFailed(PostUpdateEvent event) {
        // The buffered change is dropped with its transaction.
    }

    @Override
    public void onPostDeleteCommitFailed(PostDeleteEvent event) {
        // The buffered change is dropped with its transaction.
    }

    /**
     * Every cached entry of {@code entities} (normalized names) misses once the session's current
     * transaction commits; nothing happens on rollback. Outside a transaction: published now.
     * Used for bulk and native mutations and for explicit invalidation inside a transaction.
     */
    public void invalidateEntities(SharedSessionContractImplementor session, Set<String> entities) {
        if (session.isTransactionInProgress()) {
            buffer(session).addWholeEntities(entities);
        } else {
            publishNow(new CommittedChanges(List.of(), Set.of(), entities));
        }
    }

    /**
     * The row's cached lookups, the cached lists holding it and the custom queries of its entity
     * miss once the session's current transaction commits; nothing happens on rollback. Outside a
     * transaction: published now.
     */
    public void invalidateRow(SharedSessionContractImplementor session, String entity, Object id) {
        // An update with no known changes moves the row tag, the any-update tag and the write epoch.
        MutationEvent event = MutationEvent.update(entity, id, Set.of(), Map.of(), Map.of());
        if (session.isTransactionInProgress()) {
            buffer(session).add(event);
        } else {
            publishNow(CommittedChanges.of(List.of(event)));
        }
    }

    /**
     * Whether the session's current transaction has changes Loom will invalidate at its commit
     * (flushed entity or collection writes, bulk or native mutations, explicit invalidations):
     * uncommitted changes a read joining that transaction could see.
     */
    public boolean hasChanges(SharedSessionContractImplementor session) {
        return open.containsKey(session);
    }

    /** Number of sessions with an open, non-empty transaction buffer (for tests and diagnostics). */
    public int openTransactions() {
        return open.size();
    }

    private void collectionChanged(AbstractCollectionEvent event) {
        Object ownerId = event.getAffectedOwnerIdOrNull();
        String ownerName = event.getAffectedOwnerEntityName();
        if (ownerId == null || ownerName == null) {
            return;
        }
        String role = event.getCollectionPersister().getRole();
        String property = role.substring(role.lastIndexOf('.') + 1);
        String owner = EntityNames.normalize(ownerName);
        buffer(sessionOf(event)).addCollection(owner, EntityNames.canonicalId(ownerId), property);
    }

    private static SharedSessionContractImplementor sessionOf(AbstractCollectionEvent event) {
        return event.getSession();
    }

    private TransactionBuffer buffer(SharedSessionContractImplementor session) {
        return open.computeIfAbsent(session, this::openBuffer);
    }

    private TransactionBuffer openBuffer(SharedSessionContractImplementor session) {
        TransactionBuffer buffer = new TransactionBuffer();
        if (outbox != null) {
            session.getTransactionCompletionCallbacks().registerCallback(
                    (TransactionCompletionCallbacks.BeforeCompletionCallback) before -> writeOutbox(before, buffer));
        }
        session.getTransactionCompletionCallbacks().registerCallback(
                (boolean success, SharedSessionContractImplementor completed) -> complete(completed, buffer, success));
        return buffer;
    }

    private void publishNow(CommittedChanges changes) {
        try {
            cache.publish(changes);
        } catch (RuntimeException e) {
            LOG.error("Loom Cache could not publish invalidations", e);
        }
    }

    private void writeOutbox(SharedSessionContractImplementor session, TransactionBuffer buffer) {
        if (buffer.isEmpty()) {
            return;
        }
        // Throws into the commit on failure: the change must not commit without its outbox row.
        buffer.outboxEntry(outbox.write(session, cache.resolve(buffer.toChanges())));
    }

    private void complete(SharedSessionContractImplementor session, TransactionBuffer buffer, boolean success) {
        open.remove(session, buffer);
        if (!success || buffer.isEmpty()) {
            return;
        }
        try {
            String outboxId = buffer.outboxId();
            if (outboxId != null) {
                cache.publish(buffer.toChanges(), () -> outbox.delivered(outboxId));
            } else {
                cache.publish(buffer.toChanges());
            }
        } catch (RuntimeException e) {
            LOG.error("Loom Cache could not publish a committed transaction's invalidations", e);
        }
    }
}
