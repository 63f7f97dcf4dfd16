/**
 * Loom Cache for Hibernate ORM: commit-driven invalidation from Hibernate's events and the JPA
 * repository. Exported: {@code io.loom.cache.hibernate} (the integrator and its settings) and
 * {@code io.loom.cache.hibernate.repository}. Not exported: the listeners, the outbox and the
 * per-unit state ({@code internal}) and the runnable demo.
 */
module io.loom.cache.hibernate {
    requires transitive io.loom.cache;
    requires transitive org.hibernate.orm.core;
    requires transitive jakarta.persistence;
    requires java.naming;
    requires msgpack.core;
    requires org.slf4j;

    exports io.loom.cache.hibernate;
    exports io.loom.cache.hibernate.repository;

    // Hibernate maps the demo's entity by reflection.
    opens io.loom.cache.hibernate.demo to org.hibernate.orm.core;

    // Transaction managers that own an EntityManager (Spring's) offer it to the repository.
    uses io.loom.cache.hibernate.repository.TransactionalEntityManagers;

    provides org.hibernate.integrator.spi.Integrator with io.loom.cache.hibernate.LoomIntegrator;
    provides org.hibernate.service.spi.ServiceContributor
            with io.loom.cache.hibernate.internal.bulk.BulkSettingsContributor;
    provides org.hibernate.service.spi.SessionFactoryServiceContributor
            with io.loom.cache.hibernate.internal.LoomUnitContributor;
}
