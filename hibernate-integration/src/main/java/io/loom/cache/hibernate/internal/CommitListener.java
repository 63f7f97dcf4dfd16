package io.loom.cache.hibernate.internal;

import io.loom.cache.AnnouncedCommit;
import io.loom.cache.LoomCache;
import io.loom.cache.PreparedCommit;
import io.loom.cache.invalidation.CommittedChanges;
import io.loom.cache.invalidation.EntityNames;
import io.loom.cache.invalidation.Invalidation;
import io.loom.cache.invalidation.MutationEvent;
import org.hibernate.collection.spi.PersistentCollection;
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
import org.hibernate.event.spi.PostUpsertEvent;
import org.hibernate.event.spi.PostUpsertEventListener;
import org.hibernate.persister.entity.EntityPersister;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

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
 * Once the after-completion bump is delivered the row is deleted (see InvalidationOutbox). With
 * the leased near cache the callback first announces the invalidation, and Redis records it before
 * the database commits; the row is then written only when that record could not be made
 * (PreparedCommitReplay).
 *
 * A StatelessSession used without a transaction runs each statement in auto-commit: the row is
 * committed when its event arrives, and no completion callback would ever run, so such an event
 * is published at once (one bump per statement). StatelessSession.upsert fires POST_UPSERT, whose
 * event says neither whether the row existed nor what it held: it counts as an insert plus an
 * update of unknown old values. StatelessSession's collection events carry no session (Hibernate
 * builds them without an EventSource, and 7.2's carry no collection persister either): the
 * session and role are taken from the PersistentCollection, and when the role is unknown the
 * owner's row is invalidated whole.
 *
 * The listener implements the post-commit interfaces so that, if registered for the
 * POST_COMMIT_* event types by someone else, failed commits are still told apart; it is
 * registered for the flush-time types. Nothing it does may throw into Hibernate: an exception
 * escaping a listener fails the application's write, one escaping an after-completion callback
 * makes commit() throw although the rows are committed. So every entry point is guarded: a
 * failure is counted (ListenerFailures) and logged once, and the entity of the failed event is
 * invalidated whole in its transaction instead, so that a bug costs hit ratio, not freshness.
 */
/** Collects each transaction's changes and publishes them once the transaction commits. */
public final class CommitListener implements PostCommitInsertEventListener, PostCommitUpdateEventListener,
        PostCommitDeleteEventListener, PostUpsertEventListener, PostCollectionRecreateEventListener,
        PostCollectionUpdateEventListener, PostCollectionRemoveEventListener {

    private static final Logger LOG = LoggerFactory.getLogger(CommitListener.class);

    private final LoomCache cache;
    private final InvalidationOutbox outbox;
    private final ListenerFailures failures = new ListenerFailures();
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
        entityChanged("insert", event.getSession(), event.getPersister(), buffer ->
                MutationEvents.insert(event.getPersister(), event.getId(), event.getState(), event.getSession())
                        .forEach(buffer::add));
    }

    @Override
    public void onPostUpdate(PostUpdateEvent event) {
        entityChanged("update", event.getSession(), event.getPersister(), buffer ->
                MutationEvents.update(event.getPersister(), event.getId(), event.getOldState(), event.getState(),
                        event.getDirtyProperties(), event.getSession()).forEach(buffer::add));
    }

    @Override
    public void onPostDelete(PostDeleteEvent event) {
        entityChanged("delete", event.getSession(), event.getPersister(), buffer ->
                MutationEvents.delete(event.getPersister(), event.getId(), event.getDeletedState(),
                        event.getSession()).forEach(buffer::add));
    }

    @Override
    public void onPostUpsert(PostUpsertEvent event) {
        entityChanged("upsert", event.getSession(), event.getPersister(), buffer -> MutationEvents.upsert(
                event.getPersister(), event.getId(), event.getState(), event.getSession()).forEach(buffer::add));
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
        record(session, session.isTransactionInProgress(), buffer -> buffer.addWholeEntities(entities));
    }

    /**
     * The row's cached lookups, the cached lists holding it and the custom queries of its entity
     * miss once the session's current transaction commits; nothing happens on rollback. Outside a
     * transaction: published now.
     */
    public void invalidateRow(SharedSessionContractImplementor session, String entity, Object id) {
        record(session, session.isTransactionInProgress(), buffer -> buffer.add(unknownUpdate(entity, id)));
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

    /** Failures caught in this listener and its callbacks. */
    public ListenerFailures failures() {
        return failures;
    }

    private void entityChanged(String operation, SharedSessionContractImplementor session, EntityPersister persister,
                               Consumer<TransactionBuffer> change) {
        try {
            record(session, buffered(session), change);
        } catch (RuntimeException | LinkageError e) {
            failed(operation + " of " + persister.getEntityName(), e, session, EntityHierarchy.family(persister));
        }
    }

    private void collectionChanged(AbstractCollectionEvent event) {
        SharedSessionContractImplementor session = null;
        try {
            session = sessionOf(event);
            Object ownerId = event.getAffectedOwnerIdOrNull();
            String ownerName = event.getAffectedOwnerEntityName();
            if (ownerId == null || ownerName == null) {
                return;
            }
            String owner = EntityNames.normalize(ownerName);
            String role = event.getCollection() == null ? null : event.getCollection().getRole();
            Consumer<TransactionBuffer> change = role == null
                    ? buffer -> buffer.add(unknownUpdate(owner, ownerId))
                    : buffer -> buffer.addCollection(owner, EntityNames.canonicalId(ownerId),
                            role.substring(role.lastIndexOf('.') + 1));
            record(session, buffered(session), change);
        } catch (RuntimeException | LinkageError e) {
            String owner = event.getAffectedOwnerEntityName();
            failed("collection change of " + owner, e, session,
                    owner == null ? Set.of() : Set.of(EntityNames.normalize(owner)));
        }
    }

    /*
     * The collection's own session first: StatelessSession's collection events have no
     * EventSource, and AbstractSessionEvent.getSession() then throws.
     */
    private static SharedSessionContractImplementor sessionOf(AbstractCollectionEvent event) {
        PersistentCollection<?> collection = event.getCollection();
        SharedSessionContractImplementor session = collection == null ? null : collection.getSession();
        return session != null ? session : event.getSession();
    }

    /** A StatelessSession outside a transaction auto-commits each statement: nothing to wait for. */
    private static boolean buffered(SharedSessionContractImplementor session) {
        return !session.isStatelessSession() || session.isTransactionInProgress();
    }

    /** An update with no known changes moves the row tag, the any-update tag and the write epoch. */
    private static MutationEvent unknownUpdate(String entity, Object id) {
        return MutationEvent.update(entity, id, Set.of(), Map.of(), Map.of());
    }

    private void record(SharedSessionContractImplementor session, boolean inTransaction,
                        Consumer<TransactionBuffer> change) {
        if (inTransaction) {
            change.accept(buffer(session));
        } else {
            TransactionBuffer now = new TransactionBuffer();
            change.accept(now);
            publishNow(now.toChanges());
        }
    }

    /**
     * After a failed listener step: every entry of {@code entities} (normalized names) misses at the
     * transaction's end instead.
     */
    private void failed(String step, Throwable failure, SharedSessionContractImplementor session,
                        Set<String> entities) {
        failures.record(step, failure);
        if (session == null || entities.isEmpty()) {
            return;
        }
        try {
            record(session, buffered(session), buffer -> buffer.addWholeEntities(entities));
        } catch (RuntimeException | LinkageError e) {
            failures.record("whole-entity fallback of " + entities, e);
        }
    }

    private TransactionBuffer buffer(SharedSessionContractImplementor session) {
        return open.computeIfAbsent(session, this::openBuffer);
    }

    private TransactionBuffer openBuffer(SharedSessionContractImplementor session) {
        TransactionBuffer buffer = new TransactionBuffer();
        if (outbox != null || cache.announcesCommits()) {
            session.getTransactionCompletionCallbacks().registerCallback(
                    (TransactionCompletionCallbacks.BeforeCompletionCallback) before -> beforeCommit(before, buffer));
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

    /**
     * Announces the commit of the session's transaction now, as {@code events} (see AheadAnnouncer):
     * only when the transaction has no change buffered yet (else {@code events} are not computed).
     * Its before-completion step completes the announcement if it still announces the whole commit.
     */
    void announceAhead(SharedSessionContractImplementor session, Supplier<List<MutationEvent>> events) {
        if (open.containsKey(session)) {
            return;
        }
        Invalidation invalidation = cache.resolve(new CommittedChanges(events.get(), Set.of(), Set.of()));
        buffer(session).ahead(cache.announce(invalidation, replayAfter()));
    }

    /** How long a recorded announcement waits before a replay may bump it; null: keep no record. */
    private Duration replayAfter() {
        return outbox == null ? null : outbox.replayAfter();
    }

    /*
     * A failure here is caught like any other: the write commits without its outbox row and is
     * bumped after commit as usual (only the crash bound is lost for it). On PostgreSQL a failed
     * statement aborts the transaction, so there the commit fails by the database's own rule.
     * With the leased near cache the announcement goes first (sent ahead by AheadAnnouncer when
     * it announces exactly this invalidation, else now) and, when Redis records it within the
     * bump budget, stands in for the row (PreparedCommitReplay): the row is written only when it
     * did not.
     */
    private void beforeCommit(SharedSessionContractImplementor session, TransactionBuffer buffer) {
        try {
            AnnouncedCommit ahead = buffer.takeAhead();
            if (buffer.isEmpty()) {
                withdraw(ahead); // its change never ran (vetoed, failed)
                return;
            }
            Invalidation invalidation = cache.resolve(buffer.toChanges());
            AnnouncedCommit announcement = ahead;
            if (ahead == null || !ahead.announces(invalidation)) {
                withdraw(ahead);
                announcement = cache.announce(invalidation, replayAfter());
            }
            buffer.announced(announcement);
            PreparedCommit prepared = announcement.complete();
            if (outbox == null) {
                buffer.resolvedEntry(invalidation); // announced only: no durable record is kept
            } else if (prepared.recorded()) {
                buffer.preparedEntry(prepared, invalidation);
            } else {
                buffer.outboxEntry(outbox.write(session, invalidation), invalidation);
            }
        } catch (RuntimeException | LinkageError e) {
            failures.record("before-commit step (announcement, outbox row)", e);
        }
    }

    private static void withdraw(AnnouncedCommit announcement) {
        if (announcement != null) {
            announcement.withdraw();
        }
    }

    /** What to do once the transaction's bump was delivered: drop its durable record; null when it has none. */
    private Runnable deliveredCallback(TransactionBuffer buffer) {
        PreparedCommit prepared = buffer.prepared();
        if (prepared != null) {
            return prepared::delivered;
        }
        String outboxId = buffer.outboxId();
        return outboxId == null ? null : () -> outbox.delivered(outboxId);
    }

    private void complete(SharedSessionContractImplementor session, TransactionBuffer buffer, boolean success) {
        try {
            open.remove(session, buffer);
            withdraw(buffer.takeAhead()); // sent ahead, but the before-completion step never ran
            if (!success) {
                withdraw(buffer.announced()); // announced before completion: lift it now
            }
            if (!success || buffer.isEmpty()) {
                return;
            }
            Runnable delivered = deliveredCallback(buffer);
            Invalidation resolved = buffer.resolved();
            if (delivered == null) {
                if (resolved != null) {
                    cache.publish(resolved, () -> { });
                } else {
                    cache.publish(buffer.toChanges());
                }
            } else if (resolved != null) {
                cache.publish(resolved, delivered);
            } else {
                cache.publish(buffer.toChanges(), delivered);
            }
        } catch (RuntimeException | LinkageError e) {
            failures.record("publishing a committed transaction", e);
        }
    }
}
