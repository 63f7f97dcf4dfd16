package io.loom.cache.hibernate.repository;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.ConnectionAcquisitionMode;
import org.hibernate.ConnectionReleaseMode;
import org.hibernate.Session;
import org.hibernate.SessionFactory;

import java.util.function.Function;

/*
 * Where a repository call runs. Inside a bound unit of work (JpaTransactions.current) it joins the
 * caller's EntityManager and transaction; a write is flushed at the end of the call so that its
 * changes reach the database (and Loom's listener) before the caller commits. Outside one, a write
 * gets its own EntityManager and transaction, and a read gets a read-only session without a
 * transaction, which saves the COMMIT round trip: every statement sees what was committed when it
 * started, as in a READ COMMITTED transaction. The read session keeps the connection it first
 * takes until it closes (outside a transaction Hibernate would otherwise return it to the pool
 * after every statement), and everything the output needs is loaded before it closes.
 *
 * Every path ends by reporting the persistence context to ReadTracker, for tracked reads.
 */
/** Runs repository calls in the right EntityManager and transaction for one persistence unit. */
final class RepositorySessions {

    private final EntityManagerFactory emf;
    private final SessionFactory sessions;

    RepositorySessions(EntityManagerFactory emf) {
        this.emf = emf;
        this.sessions = emf.unwrap(SessionFactory.class);
    }

    /** Runs a read: in the bound unit of work, else in a read-only session without a transaction. */
    <R> R read(Function<EntityManager, R> work) {
        return run(false, work);
    }

    /** Runs a write: in the bound unit of work (then flushed), else in a transaction of its own. */
    <R> R write(Function<EntityManager, R> work) {
        return run(true, work);
    }

    private <R> R run(boolean write, Function<EntityManager, R> work) {
        EntityManager bound = JpaTransactions.current(emf);
        if (bound != null) {
            R result = work.apply(bound);
            if (write) {
                bound.flush();
            }
            ReadTracker.collect(bound);
            return result;
        }
        if (!write) {
            return readOnly(work);
        }
        EntityManager em = emf.createEntityManager();
        try {
            return JpaTransactions.commitOrRollback(em, transactional -> {
                R result = work.apply(transactional);
                ReadTracker.collect(transactional);
                return result;
            });
        } finally {
            em.close();
        }
    }

    private <R> R readOnly(Function<EntityManager, R> work) {
        Session session = sessions.withOptions()
                .connectionHandling(ConnectionAcquisitionMode.AS_NEEDED, ConnectionReleaseMode.ON_CLOSE)
                .openSession();
        try {
            session.setDefaultReadOnly(true);
            R result = work.apply(session);
            ReadTracker.collect(session);
            return result;
        } finally {
            session.close();
        }
    }
}
