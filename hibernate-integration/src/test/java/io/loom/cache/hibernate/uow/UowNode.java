package io.loom.cache.hibernate.uow;

import io.loom.cache.LoomCache;
import io.loom.cache.hibernate.LoomHibernate;
import io.loom.cache.hibernate.e2e.LoomTestUnit;
import io.loom.cache.hibernate.model.TestDatabase;
import io.loom.cache.hibernate.repository.JpaEntityRepository;
import io.loom.cache.hibernate.uow.UowViews.WarehouseCreate;
import io.loom.cache.hibernate.uow.UowViews.WarehouseUpdate;
import io.loom.cache.hibernate.uow.UowViews.WarehouseView;
import io.loom.cache.repository.Repository;
import io.loom.cache.stats.CacheStats;
import jakarta.persistence.EntityManagerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/** One application node over the {@code loom-uow} persistence unit, its cache on a Redis namespace. */
final class UowNode implements AutoCloseable {

    static final String UNIT = "loom-uow";

    final TestDatabase database;
    final Repository<WarehouseView, WarehouseCreate, WarehouseUpdate, String> warehouses;

    private UowNode(TestDatabase database) {
        this.database = database;
        EntityManagerFactory emf = database.emf();
        this.warehouses = LoomHibernate.wrap(emf, JpaEntityRepository.builder(emf, Warehouse.class,
                WarehouseView.class, WarehouseCreate.class, WarehouseUpdate.class, String.class).build());
    }

    /** A node on H2 at {@code url}; {@code create} generates the schema (the first node of a database). */
    static UowNode h2(String namespace, String url, boolean create) {
        return h2(namespace, url, create, Map.of());
    }

    /** {@link #h2(String, String, boolean)} with {@code extra} properties. */
    static UowNode h2(String namespace, String url, boolean create, Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(LoomTestUnit.redisProperties(namespace));
        props.putAll(extra);
        props.put("jakarta.persistence.jdbc.url", url);
        props.put("loom.cache.backends.default.timeout", "5s");
        if (!create) {
            props.put("jakarta.persistence.schema-generation.database.action", "none");
        }
        return new UowNode(TestDatabase.h2(UNIT, props));
    }

    /** A node on a private database of {@code server}. */
    static UowNode on(TestDatabase.Kind server, String prefix, String namespace) {
        Map<String, Object> props = LoomTestUnit.redisProperties(namespace);
        return new UowNode(switch (server) {
            case H2 -> TestDatabase.h2(UNIT, props);
            case POSTGRESQL -> TestDatabase.postgres(UNIT, prefix, props);
            case MARIADB -> TestDatabase.mariadb(UNIT, prefix, props);
        });
    }

    EntityManagerFactory emf() {
        return database.emf();
    }

    LoomCache cache() {
        return LoomHibernate.cache(emf());
    }

    CacheStats stats(String entity) {
        return cache().stats(entity);
    }

    /** Wraps a repository over {@code type} of this unit, with {@link UowViews.NamedView} records. */
    <E> Repository<UowViews.NamedView, UowViews.NamedCreate, UowViews.NamedUpdate, Long> named(Class<E> type) {
        return LoomHibernate.wrap(emf(), JpaEntityRepository.builder(emf(), type, UowViews.NamedView.class,
                UowViews.NamedCreate.class, UowViews.NamedUpdate.class, Long.class).build());
    }

    /** Runs {@code work} in its own committed transaction, outside any repository. */
    <R> R write(Function<jakarta.persistence.EntityManager, R> work) {
        jakarta.persistence.EntityManager em = emf().createEntityManager();
        try {
            em.getTransaction().begin();
            R result = work.apply(em);
            em.getTransaction().commit();
            return result;
        } finally {
            em.close();
        }
    }

    @Override
    public void close() {
        database.close();
    }
}
