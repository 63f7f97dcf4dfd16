package io.loom.cache.hibernate.repository;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;

/**
 * Finds the EntityManager of a transaction that a framework manages outside Loom (Spring's
 * {@code JpaTransactionManager}, for example), so that {@link JpaEntityRepository} calls made
 * inside that transaction join it as they join a {@link JpaTransactions} unit of work.
 * Implementations are discovered with {@link java.util.ServiceLoader} (a
 * {@code META-INF/services/io.loom.cache.hibernate.repository.TransactionalEntityManagers} entry)
 * and consulted by {@link JpaTransactions#current} when no Loom unit of work is bound.
 * Implementations must be thread-safe and cheap: they are asked on every repository call.
 */
public interface TransactionalEntityManagers {

    /**
     * The EntityManager of the transaction for {@code emf} active on this thread, or null when
     * there is none (no transaction, or one on another persistence unit).
     */
    EntityManager current(EntityManagerFactory emf);
}
