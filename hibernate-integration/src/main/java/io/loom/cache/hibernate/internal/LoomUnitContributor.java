package io.loom.cache.hibernate.internal;

import org.hibernate.service.spi.SessionFactoryServiceContributor;
import org.hibernate.service.spi.SessionFactoryServiceRegistryBuilder;

/** Gives every session factory's service registry its own {@link LoomUnit}; discovered through {@code META-INF/services}. */
public final class LoomUnitContributor implements SessionFactoryServiceContributor {

    @Override
    public void contribute(SessionFactoryServiceRegistryBuilder builder) {
        builder.addService(LoomUnit.class, new LoomUnit());
    }
}
