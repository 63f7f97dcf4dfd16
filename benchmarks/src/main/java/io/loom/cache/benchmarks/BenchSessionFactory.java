package io.loom.cache.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import org.hibernate.SessionFactory;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cfg.AvailableSettings;

import java.util.Map;

/**
 * The Hibernate set-up every reader shares: a HikariCP pool on the benchmark database and a
 * session factory for {@link BenchBook} over it, with the reader's own settings on top. Closing it
 * closes the factory, its service registry and the pool.
 */
final class BenchSessionFactory implements AutoCloseable {

    static {
        // Hibernate logs through SLF4J (slf4j-simple, level warn) instead of java.util.logging.
        if (System.getProperty("org.jboss.logging.provider") == null) {
            System.setProperty("org.jboss.logging.provider", "slf4j");
        }
    }

    private final HikariDataSource pool;
    private final StandardServiceRegistry registry;
    private final SessionFactory sessionFactory;

    private BenchSessionFactory(HikariDataSource pool, StandardServiceRegistry registry, SessionFactory sessionFactory) {
        this.pool = pool;
        this.registry = registry;
        this.sessionFactory = sessionFactory;
    }

    /**
     * @param poolName   name of the connection pool (one per implementation)
     * @param maxThreads benchmark threads the pool must serve
     * @param settings   Hibernate and Loom settings of this reader
     * @throws RuntimeException what Hibernate throws at start-up; nothing is left open then
     */
    static BenchSessionFactory open(BenchSettings bench, String poolName, int maxThreads, Map<String, ?> settings) {
        HikariDataSource pool = BenchDatabase.pool(bench, poolName, maxThreads);
        StandardServiceRegistryBuilder builder = new StandardServiceRegistryBuilder()
                .applySetting(AvailableSettings.DATASOURCE, pool)
                .applySetting(AvailableSettings.HBM2DDL_AUTO, "none")
                .applySetting(AvailableSettings.CRITERIA_PLAN_CACHE_ENABLED, "true");
        settings.forEach(builder::applySetting);
        StandardServiceRegistry registry = builder.build();
        try {
            SessionFactory factory = new MetadataSources(registry).addAnnotatedClass(BenchBook.class)
                    .buildMetadata().buildSessionFactory();
            return new BenchSessionFactory(pool, registry, factory);
        } catch (RuntimeException e) {
            StandardServiceRegistryBuilder.destroy(registry);
            pool.close();
            throw e;
        }
    }

    SessionFactory get() {
        return sessionFactory;
    }

    @Override
    public void close() {
        try {
            sessionFactory.close();
        } finally {
            StandardServiceRegistryBuilder.destroy(registry);
            pool.close();
        }
    }
}
