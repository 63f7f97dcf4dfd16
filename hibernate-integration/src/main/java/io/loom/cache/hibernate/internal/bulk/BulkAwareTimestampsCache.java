package io.loom.cache.hibernate.internal.bulk;

import org.hibernate.cache.CacheException;
import org.hibernate.cache.spi.TimestampsCache;
import org.hibernate.cache.spi.TimestampsRegion;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;

/*
 * Why the timestamps cache: a bulk JPQL/Criteria executeUpdate and a native executeUpdate fire no
 * entity event, nothing on Interceptor or SessionEventListener. The one thing Hibernate always
 * does is schedule a BulkOperationCleanupAction, whose registration tells the query-cache
 * timestamps which table spaces the statement touched (preInvalidate, immediately, inside
 * executeUpdate). Ordinary entity DML tells the timestamps the same thing, from the action queue,
 * at flush (or at persist for identity inserts); those writes already reach the buffer as row
 * events, and turning them into entity-wide bumps would destroy precision.
 *
 * The two are told apart by the caller, in Hibernate 7.4:
 *   bulk:   BulkOperationCleanupAction.schedule -> ActionQueue.addAction(BulkOperationCleanupAction)
 *           -> ActionQueue.registerCleanupActions -> ActionQueue.invalidateSpaces -> preInvalidate
 *   entity: ActionQueue.executeActions / ActionQueue.execute -> (registerCleanupActions ->)
 *           ActionQueue.invalidateSpaces -> preInvalidate
 * The first ActionQueue frame other than those two helpers names the path; only a few frames are
 * walked. A call from anywhere else (no ActionQueue frame near the top) is treated as bulk: an
 * unknown statement costs precision, never correctness.
 *
 * invalidate() fires at completion for commit AND rollback with no outcome, so it is useless for
 * this; the spaces are added to the transaction's buffer instead, which publishes at commit only.
 * StatelessSession bulk statements skip the action queue and the timestamps entirely: they are not
 * seen (use the explicit invalidation API).
 */
/** Delegating timestamps cache (one per session factory) that reports the table spaces of bulk and native mutations. */
final class BulkAwareTimestampsCache implements TimestampsCache {

    private static final Logger LOG = LoggerFactory.getLogger(BulkAwareTimestampsCache.class);
    private static final String ACTION_QUEUE = "org.hibernate.engine.spi.ActionQueue";
    private static final int MAX_FRAMES = 24;
    private static final StackWalker WALKER = StackWalker.getInstance();

    private final TimestampsCache delegate;
    private final BulkWrites bulkWrites = new BulkWrites();

    BulkAwareTimestampsCache(TimestampsCache delegate) {
        this.delegate = delegate;
    }

    @Override
    public void preInvalidate(String[] spaces, SharedSessionContractImplementor session) {
        delegate.preInvalidate(spaces, session);
        if (spaces == null || spaces.length == 0 || !fromBulkStatement()) {
            return;
        }
        try {
            bulkWrites.record(session, spaces);
        } catch (RuntimeException e) {
            // Never fail the user's statement; the entity-wide bump is lost, so say so loudly.
            LOG.error("Loom Cache could not record a bulk mutation of table spaces {}", String.join(",", spaces), e);
        }
    }

    static boolean fromBulkStatement() {
        return WALKER.walk(frames -> frames.limit(MAX_FRAMES)
                .filter(frame -> frame.getClassName().equals(ACTION_QUEUE))
                .map(StackWalker.StackFrame::getMethodName)
                .filter(method -> !method.equals("invalidateSpaces") && !method.equals("registerCleanupActions"))
                .findFirst()
                .map(method -> method.equals("addAction"))
                .orElse(true));
    }

    @Override
    public TimestampsRegion getRegion() {
        return delegate.getRegion();
    }

    @Override
    public void invalidate(String[] spaces, SharedSessionContractImplementor session) {
        delegate.invalidate(spaces, session);
    }

    @Override
    public boolean isUpToDate(String[] spaces, Long timestamp, SharedSessionContractImplementor session) {
        return delegate.isUpToDate(spaces, timestamp, session);
    }

    @Override
    public boolean isUpToDate(Collection<String> spaces, Long timestamp, SharedSessionContractImplementor session) {
        return delegate.isUpToDate(spaces, timestamp, session);
    }

    @Override
    public void clear() throws CacheException {
        delegate.clear();
    }

    @Override
    public void destroy() {
        delegate.destroy();
    }
}
