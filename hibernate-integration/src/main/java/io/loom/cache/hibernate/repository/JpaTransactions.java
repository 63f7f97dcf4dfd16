package io.loom.cache.hibernate.repository;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Binds an {@link EntityManager} to the current thread so that every {@link JpaEntityRepository}
 * over the same {@link EntityManagerFactory} called inside the unit of work joins it: one
 * persistence context, one transaction, committed or rolled back together. Outside a bound unit
 * of work each repository call runs in its own EntityManager: writes in their own transaction,
 * reads without one.
 *
 * <p>Bindings are per thread; nested calls join the outer one. Without a bound unit of work, a
 * transaction managed by a framework (found by a {@link TransactionalEntityManagers} on the class
 * path, e.g. Spring's) is joined the same way. Thread-safe.
 */
public final class JpaTransactions {

    private static final ThreadLocal<Map<EntityManagerFactory, EntityManager>> BOUND =
            ThreadLocal.withInitial(IdentityHashMap::new);

    private JpaTransactions() {
    }

    /**
     * Runs {@code work} in a transaction on a new EntityManager bound to this thread, commits, and
     * returns its result. Any exception rolls the transaction back and is rethrown. When a unit of
     * work is already bound for {@code emf}, {@code work} simply joins it.
     */
    public static <R> R inTransaction(EntityManagerFactory emf, Function<EntityManager, R> work) {
        Objects.requireNonNull(emf, "emf");
        Objects.requireNonNull(work, "work");
        EntityManager existing = current(emf);
        if (existing != null) {
            return work.apply(existing);
        }
        EntityManager em = emf.createEntityManager();
        Map<EntityManagerFactory, EntityManager> bound = BOUND.get();
        bound.put(emf, em);
        try {
            return commitOrRollback(em, work);
        } finally {
            bound.remove(emf);
            em.close();
        }
    }

    /** Runs {@code work} in a new transaction of {@code em}: commits its result, rolls back on any exception. */
    static <R> R commitOrRollback(EntityManager em, Function<EntityManager, R> work) {
        EntityTransaction tx = em.getTransaction();
        tx.begin();
        try {
            R result = work.apply(em);
            tx.commit();
            return result;
        } catch (RuntimeException | Error e) {
            if (tx.isActive()) {
                tx.rollback();
            }
            throw e;
        }
    }

    /**
     * Binds the caller's own EntityManager (whose transaction the caller manages) while
     * {@code work} runs, so repository calls inside use it.
     */
    public static <R> R joining(EntityManager em, Supplier<R> work) {
        Objects.requireNonNull(em, "em");
        EntityManagerFactory emf = em.getEntityManagerFactory();
        Map<EntityManagerFactory, EntityManager> bound = BOUND.get();
        EntityManager previous = bound.put(emf, em);
        try {
            return work.get();
        } finally {
            if (previous == null) {
                bound.remove(emf);
            } else {
                bound.put(emf, previous);
            }
        }
    }

    /**
     * The EntityManager bound to this thread for {@code emf}, or else the one of a framework-managed
     * transaction ({@link TransactionalEntityManagers}), or null.
     */
    public static EntityManager current(EntityManagerFactory emf) {
        EntityManager bound = BOUND.get().get(emf);
        if (bound != null) {
            return bound;
        }
        for (TransactionalEntityManagers managers : External.MANAGERS) {
            EntityManager em = managers.current(emf);
            if (em != null) {
                return em;
            }
        }
        return null;
    }

    /** The {@link TransactionalEntityManagers} on the class path, loaded once. */
    private static final class External {
        static final List<TransactionalEntityManagers> MANAGERS = ServiceLoader
                .load(TransactionalEntityManagers.class, JpaTransactions.class.getClassLoader())
                .stream().map(ServiceLoader.Provider::get).toList();
    }
}
