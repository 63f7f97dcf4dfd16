package io.loom.cache.spring.transaction;

import io.loom.cache.hibernate.repository.TransactionalEntityManagers;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.springframework.orm.jpa.EntityManagerHolder;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/*
 * JpaTransactionManager binds an EntityManagerHolder under the EntityManagerFactory bean (Spring's
 * proxy of the native factory). A Loom repository may have been built with either the bean or the
 * native factory, so after the direct look-up the bound resources are compared by the Hibernate
 * native SessionFactory behind them (the implementor interface, which Spring's proxy does not
 * implement itself). Only an actual transaction counts: an EntityManager bound without
 * one (open-session-in-view) is not joined, so reads outside transactions keep their own
 * short read-only sessions and stay cacheable.
 */
/**
 * Lets Loom's {@code JpaEntityRepository} join the Spring-managed transaction of the current
 * thread ({@code JpaTransactionManager}, as used by {@code @Transactional} and
 * {@code TransactionTemplate}): its reads see the transaction's own changes and its writes commit
 * or roll back with it. Discovered by {@link java.util.ServiceLoader}; stateless and thread-safe.
 */
public final class SpringTransactionalEntityManagers implements TransactionalEntityManagers {

    @Override
    public EntityManager current(EntityManagerFactory emf) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            return null;
        }
        if (TransactionSynchronizationManager.getResource(emf) instanceof EntityManagerHolder holder) {
            return holder.getEntityManager();
        }
        SessionFactoryImplementor target = emf.unwrap(SessionFactoryImplementor.class);
        for (var entry : TransactionSynchronizationManager.getResourceMap().entrySet()) {
            if (entry.getKey() instanceof EntityManagerFactory bound && entry.getValue() instanceof EntityManagerHolder holder
                    && bound.unwrap(SessionFactoryImplementor.class) == target) {
                return holder.getEntityManager();
            }
        }
        return null;
    }
}
