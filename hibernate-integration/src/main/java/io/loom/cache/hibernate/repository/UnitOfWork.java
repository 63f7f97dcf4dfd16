package io.loom.cache.hibernate.repository;

import io.loom.cache.hibernate.internal.CommitListener;
import io.loom.cache.hibernate.internal.LoomUnit;
import io.loom.cache.repository.ReadSnapshot;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.engine.spi.SessionImplementor;

/*
 * The snapshot rule: a value may be stored only if it was loaded from a database snapshot that
 * began after the cache read its generations and that holds no uncommitted change.
 *
 * A repository read outside a caller's unit of work opens its own session and runs its statements
 * after the cache read the generations: each statement's snapshot (READ COMMITTED, or autocommit)
 * is fresh. Inside a caller's EntityManager (JpaTransactions.inTransaction, joining, or any
 * transaction current(emf) reports) neither holds in general: a REPEATABLE READ or SERIALIZABLE
 * transaction fixed its snapshot at its first read, which may precede a commit whose bump the
 * cache has seen, and the persistence context returns rows loaded earlier whatever the isolation.
 * Proving the snapshot fresh would need the isolation level, the time of the first statement and
 * the age of every managed row, so such loads are never stored. Whether the unit holds
 * uncommitted changes decides whether the cache may be read at all: with pending changes (flushed
 * ones Loom's listener buffered for the commit, or unflushed ones Hibernate's dirty check finds)
 * the unit's view differs from every committed value, so reads are served by the unit only.
 */
/** Tells a read what snapshot it would see on the current thread. */
final class UnitOfWork {

    private UnitOfWork() {
    }

    static ReadSnapshot snapshot(EntityManagerFactory emf) {
        EntityManager bound = JpaTransactions.current(emf);
        if (bound == null) {
            return ReadSnapshot.FRESH;
        }
        return hasUncommittedChanges(bound) ? ReadSnapshot.UNCOMMITTED_CHANGES : ReadSnapshot.CALLER_TRANSACTION;
    }

    private static boolean hasUncommittedChanges(EntityManager em) {
        try {
            SessionImplementor session = em.unwrap(SessionImplementor.class);
            LoomUnit unit = LoomUnit.of(session.getFactory());
            CommitListener listener = unit == null ? null : unit.listener();
            return (listener != null && listener.hasChanges(session)) || session.isDirty();
        } catch (RuntimeException unknown) {
            return true; // when in doubt, the unit of work serves the read
        }
    }
}
