package io.loom.cache.hibernate;

import org.hibernate.integrator.spi.Integrator;
import org.hibernate.jpa.boot.spi.IntegratorProvider;

import java.util.List;

/**
 * Registers {@link LoomIntegrator} explicitly from {@code persistence.xml}:
 * {@code <property name="hibernate.integrator_provider" value="io.loom.cache.hibernate.LoomIntegratorProvider"/>}.
 * Safe together with automatic discovery: the integrator integrates each session factory once.
 */
public final class LoomIntegratorProvider implements IntegratorProvider {

    @Override
    public List<Integrator> getIntegrators() {
        return List.of(new LoomIntegrator());
    }
}
