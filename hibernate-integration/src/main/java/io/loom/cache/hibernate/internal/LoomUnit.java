package io.loom.cache.hibernate.internal;

import io.loom.cache.LoomCache;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.service.Service;
import org.hibernate.service.spi.Stoppable;

import java.util.concurrent.atomic.AtomicBoolean;

/*
 * Per-unit state lives in the session factory's own service registry, as Hibernate's cache
 * integrations keep their RegionFactory state: LoomUnitContributor adds one instance to every
 * factory's registry as it is built, the integrator fills it, and it goes away with the factory
 * (disintegrate releases it; Stoppable covers a registry destroyed without disintegration). No
 * static map keyed by factory, so nothing outlives a factory or leaks between two of them, and a
 * proxy in front of the factory (Spring's EntityManagerFactory bean) reaches the same object by
 * unwrapping to SessionFactoryImplementor.
 */
/** Loom's state of one persistence unit: its cache, outbox and commit listener. Thread-safe. */
public final class LoomUnit implements Service, Stoppable {

    private final AtomicBoolean claimed = new AtomicBoolean();
    private volatile Integration integration;

    private record Integration(LoomCache cache, InvalidationOutbox outbox, CommitListener listener) {
    }

    /** The unit of {@code factory}, or null when the factory's registry has none (Loom's contributor not discovered). */
    public static LoomUnit of(SessionFactoryImplementor factory) {
        return factory.getServiceRegistry().getService(LoomUnit.class);
    }

    /** True for the first caller only: the other registration path of the integrator then stands down. */
    public boolean claim() {
        return claimed.compareAndSet(false, true);
    }

    /** Makes the unit integrated; {@code outbox} is null when it is off. */
    public void integrate(LoomCache cache, InvalidationOutbox outbox, CommitListener listener) {
        integration = new Integration(cache, outbox, listener);
    }

    /** The cache, or null when Loom is not integrated with this unit. */
    public LoomCache cache() {
        Integration current = integration;
        return current == null ? null : current.cache();
    }

    /** The outbox, or null when it is off or Loom is not integrated. */
    public InvalidationOutbox outbox() {
        Integration current = integration;
        return current == null ? null : current.outbox();
    }

    /** The commit listener, or null when Loom is not integrated with this unit. */
    public CommitListener listener() {
        Integration current = integration;
        return current == null ? null : current.listener();
    }

    /** Closes the outbox, then the cache, and forgets the claim. Idempotent. */
    public synchronized void release() {
        Integration current = integration;
        integration = null;
        claimed.set(false);
        if (current == null) {
            return;
        }
        try {
            if (current.outbox() != null) {
                current.outbox().close();
            }
        } finally {
            current.cache().close();
        }
    }

    @Override
    public void stop() {
        release();
    }
}
