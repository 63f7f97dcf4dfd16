package io.loom.cache.hibernate.internal;

import io.loom.cache.invalidation.MutationEvent;
import org.hibernate.engine.spi.ActionQueue;
import org.hibernate.engine.spi.SessionImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.event.spi.AbstractPreDatabaseOperationEvent;
import org.hibernate.event.spi.PreDeleteEvent;
import org.hibernate.event.spi.PreDeleteEventListener;
import org.hibernate.event.spi.PreInsertEvent;
import org.hibernate.event.spi.PreInsertEventListener;
import org.hibernate.event.spi.PreUpdateEvent;
import org.hibernate.event.spi.PreUpdateEventListener;
import org.hibernate.persister.entity.EntityPersister;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/*
 * Why announce from a pre-event: with the leased near cache a commit's announcement (the prepare,
 * which may also record the invalidation in Redis) must reach Redis before the database commits,
 * and it used to be sent in the before-completion step, after the flush's last statement, so its
 * round trip followed the database's. Most transactions change one row; for them the invalidation
 * is known before that row's statement runs: Hibernate fires PRE_INSERT / PRE_UPDATE / PRE_DELETE
 * with the same state the post-events carry, right before the SQL. So when the event is the only
 * change of its transaction so far and the only action left in the flush's queue, the
 * announcement is sent then, without waiting, and its round trip overlaps the statement's.
 *
 * It is only a head start: the before-completion step resolves the transaction's changes as
 * always and completes the early announcement only when it announced exactly that invalidation
 * and is still current (CommitListener.beforeCommit, AnnouncedCommit.announces); otherwise it
 * withdraws it and announces again. A veto by a later listener, a failing statement, a second
 * flush or a change the pre-event could not see (dirtiness found differently, a collection)
 * costs one withdrawn announcement, never a missed tag. Never vetoes, never throws.
 */
/** Sends a transaction's announcement before the statement of its only change runs (leased near cache). */
public final class AheadAnnouncer implements PreInsertEventListener, PreUpdateEventListener, PreDeleteEventListener {

    private final CommitListener listener;

    public AheadAnnouncer(CommitListener listener) {
        this.listener = listener;
    }

    @Override
    public boolean onPreInsert(PreInsertEvent event) {
        announceIfOnlyChange(event, () -> MutationEvents.insert(event.getPersister(), event.getId(),
                event.getState(), event.getSession()));
        return false;
    }

    @Override
    public boolean onPreUpdate(PreUpdateEvent event) {
        announceIfOnlyChange(event, () -> MutationEvents.update(event.getPersister(), event.getId(),
                event.getOldState(), event.getState(), dirty(event), event.getSession()));
        return false;
    }

    @Override
    public boolean onPreDelete(PreDeleteEvent event) {
        announceIfOnlyChange(event, () -> MutationEvents.delete(event.getPersister(), event.getId(),
                event.getDeletedState(), event.getSession()));
        return false;
    }

    private void announceIfOnlyChange(AbstractPreDatabaseOperationEvent event, Supplier<List<MutationEvent>> events) {
        if (event.getId() == null || !onlyChange(event.getSession(), event.getPersister())) {
            return;
        }
        try {
            listener.announceAhead(event.getSession(), events);
        } catch (RuntimeException | LinkageError e) {
            listener.failures().record("early announcement", e);
        }
    }

    /*
     * The flush runs its queue in order and clears each list once run, so during an action's
     * pre-event the queue holds that action and every later one (CommitListener.announceAhead
     * checks that no change of the transaction ran before it).
     */
    private boolean onlyChange(SharedSessionContractImplementor session, EntityPersister persister) {
        try {
            if (!(session instanceof SessionImplementor stateful) || !session.isTransactionInProgress()) {
                return false;
            }
            ActionQueue queue = stateful.getActionQueue();
            return queue.numberOfInsertions() + queue.numberOfUpdates() + queue.numberOfDeletions()
                    + queue.numberOfCollectionCreations() + queue.numberOfCollectionUpdates()
                    + queue.numberOfCollectionRemovals() == 1;
        } catch (RuntimeException | LinkageError e) {
            listener.failures().record("early announcement of " + persister.getEntityName(), e);
            return false;
        }
    }

    /*
     * The flush found the dirty properties before it set the new version; the pre-event's state
     * already holds it, so the version property is left out as it is from the post-event's list.
     */
    private static int[] dirty(PreUpdateEvent event) {
        Object[] oldState = event.getOldState();
        if (oldState == null) {
            return null;
        }
        EntityPersister persister = event.getPersister();
        int[] dirty = persister.findDirty(event.getState(), oldState, event.getEntity(), event.getSession());
        if (dirty == null) {
            return new int[0];
        }
        if (!persister.isVersioned()) {
            return dirty;
        }
        int version = persister.getVersionPropertyIndex();
        return Arrays.stream(dirty).filter(index -> index != version).toArray();
    }
}
