package io.loom.cache.hibernate;

import io.loom.cache.LoomCache;
import io.loom.cache.repository.Repository;
import io.loom.cache.hibernate.internal.CommitListener;
import io.loom.cache.hibernate.internal.LoomUnit;
import io.loom.cache.invalidation.EntityNames;
import jakarta.persistence.EntityManager;
import io.loom.cache.hibernate.internal.InvalidationOutbox;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.Optional;

/**
 * Entry point for application code: the {@link LoomCache} of a persistence unit, and wrapping of
 * its repositories.
 *
 * <pre>{@code
 * EntityManagerFactory emf = Persistence.createEntityManagerFactory("app");
 * Repository<BookView, BookCreate, BookUpdate, Long> books =
 *         LoomHibernate.wrap(emf, JpaEntityRepository.builder(emf, Book.class, ...).build());
 * }</pre>
 *
 * <p><b>Which writes invalidate by themselves.</b> Entity writes through any {@code EntityManager}
 * or {@code Session} (row-precise), and bulk JPQL/Criteria {@code executeUpdate} and native
 * {@code executeUpdate}: these make every cached entry of the entities whose tables they touch miss,
 * in the same single bump as the transaction's row changes, at commit only (a rollback bumps
 * nothing). A native statement declares its tables with {@code addSynchronizedEntityClass},
 * {@code addSynchronizedEntityName} or {@code addSynchronizedQuerySpace}; one that declares
 * nothing is reported by Hibernate as touching EVERY table, so every entity's cache is emptied:
 * safe, but declare the tables. For this Loom supplies, when the application left them unset,
 * {@code hibernate.cache.use_query_cache=true}, a wrapping {@code hibernate.cache.query_cache_factory}
 * and, without an application region factory, one that stores nothing (second-level cache off).
 * An explicit {@code use_query_cache=false} is respected, and then bulk writes are NOT seen.
 *
 * <p><b>Writes Hibernate cannot see</b> (raw JDBC, other services, {@code StatelessSession} bulk
 * statements, {@code use_query_cache=false}): call {@link #invalidate(EntityManagerFactory, Class)}
 * after they committed, or {@link #invalidate(EntityManager, Class)} inside the transaction that
 * makes them (it takes effect at that transaction's commit).
 */
public final class LoomHibernate {

    private LoomHibernate() {
    }

    /**
     * The cache of a persistence unit.
     *
     * @throws IllegalStateException if the integrator did not run for it (disabled or not on the class path)
     */
    public static LoomCache cache(EntityManagerFactory emf) {
        LoomCache cache = unitOf(emf).cache();
        if (cache == null) {
            throw notIntegrated();
        }
        return cache;
    }

    /**
     * Cache activity of one entity of this persistence unit, named by its JPA entity name
     * ({@code @Entity(name = ...)}), its class name (simple or qualified) or its normalized name.
     * The counters are kept under the normalized name of the entity's class
     * ({@link EntityNames#of}), which every tag, key and stat uses.
     */
    public static io.loom.cache.stats.CacheStats stats(EntityManagerFactory emf, String entity) {
        Objects.requireNonNull(entity, "entity");
        for (jakarta.persistence.metamodel.EntityType<?> type : emf.getMetamodel().getEntities()) {
            if (type.getName().equals(entity) && type.getJavaType() != null) {
                return cache(emf).stats(type.getJavaType());
            }
        }
        return cache(emf).stats(entity);
    }

    /** Wraps a repository of this persistence unit with its cache (pass-through when caching is disabled). */
    public static <O, C, U, I> Repository<O, C, U, I> wrap(EntityManagerFactory emf, Repository<O, C, U, I> repository) {
        return cache(emf).wrap(repository);
    }

    /**
     * Invalidates every cached entry of an entity now, for a write Hibernate cannot see (raw JDBC,
     * another service, a native statement run elsewhere). Call it after that write committed; it
     * needs no transaction. Never throws for backend failures: delivery is retried, and reads
     * bypass the cache until it succeeds.
     *
     * @throws IllegalStateException if Loom is not integrated with this persistence unit
     */
    public static void invalidate(EntityManagerFactory emf, Class<?> entityClass) {
        Set<String> names = family(emf, Objects.requireNonNull(entityClass, "entityClass"));
        cache(emf).publish(new io.loom.cache.invalidation.CommittedChanges(java.util.List.of(), Set.of(), names));
    }

    /**
     * Invalidates one row now: its cached lookups and the cached lists and views that contain it.
     * Lists that may GAIN the row (it was inserted, or a filtered/sorted property changed) are not
     * reached by a row invalidation: use {@link #invalidate(EntityManagerFactory, Class)} then.
     *
     * @throws IllegalStateException if Loom is not integrated with this persistence unit
     */
    public static void invalidate(EntityManagerFactory emf, Class<?> entityClass, Object id) {
        Objects.requireNonNull(id, "id");
        Set<String> names = family(emf, Objects.requireNonNull(entityClass, "entityClass"));
        if (names.size() == 1) {
            cache(emf).invalidate(entityClass, id);
            return;
        }
        // An update with no known changes per name: moves each name's row tag (see CommitListener.invalidateRow).
        cache(emf).publish(io.loom.cache.invalidation.CommittedChanges.of(names.stream()
                .map(name -> io.loom.cache.invalidation.MutationEvent.update(name, id, Set.of(), Map.of(), Map.of()))
                .toList()));
    }

    /**
     * Like {@link #invalidate(EntityManagerFactory, Class)}, bound to the entity manager's
     * transaction: while one is active the invalidation is added to that transaction's single bump
     * at commit (nothing on rollback), so no concurrent reader can re-cache the old rows between
     * the invalidation and the commit. Without an active transaction it takes effect now.
     *
     * @throws IllegalStateException if Loom is not integrated with the entity manager's persistence unit
     */
    public static void invalidate(EntityManager em, Class<?> entityClass) {
        SharedSessionContractImplementor session = em.unwrap(SharedSessionContractImplementor.class);
        listener(session).invalidateEntities(session,
                family(em.getEntityManagerFactory(), Objects.requireNonNull(entityClass, "entityClass")));
    }

    /**
     * Like {@link #invalidate(EntityManagerFactory, Class, Object)}, bound to the entity manager's
     * transaction as {@link #invalidate(EntityManager, Class)} is.
     *
     * @throws IllegalStateException if Loom is not integrated with the entity manager's persistence unit
     */
    public static void invalidate(EntityManager em, Class<?> entityClass, Object id) {
        SharedSessionContractImplementor session = em.unwrap(SharedSessionContractImplementor.class);
        Objects.requireNonNull(id, "id");
        CommitListener listener = listener(session);
        for (String name : family(em.getEntityManagerFactory(), Objects.requireNonNull(entityClass, "entityClass"))) {
            listener.invalidateRow(session, name, id);
        }
    }

    /**
     * The names an invalidation of {@code entityClass} reaches: its own and, for an entity in an
     * inheritance hierarchy, those above and below it (their repositories hold its rows).
     */
    private static Set<String> family(EntityManagerFactory emf, Class<?> entityClass) {
        org.hibernate.persister.entity.EntityPersister persister = emf.unwrap(
                org.hibernate.engine.spi.SessionFactoryImplementor.class).getMappingMetamodel()
                .findEntityDescriptor(entityClass);
        return persister == null ? Set.of(EntityNames.of(entityClass))
                : io.loom.cache.hibernate.internal.EntityHierarchy.family(persister);
    }

    private static CommitListener listener(SharedSessionContractImplementor session) {
        return listener(unitOf(session.getFactory()));
    }

    private static CommitListener listener(LoomUnit unit) {
        CommitListener listener = unit.listener();
        if (listener == null) {
            throw notIntegrated();
        }
        return listener;
    }

    /**
     * Failures caught inside Loom's Hibernate listeners and completion callbacks of a persistence
     * unit (0 in normal operation). Each one let the application's write commit and invalidated the
     * entity of the failed event whole instead; the first is logged at ERROR with its stack trace.
     *
     * @throws IllegalStateException if Loom is not integrated with this persistence unit
     */
    public static long listenerFailures(EntityManagerFactory emf) {
        return listener(unitOf(emf)).failures().count();
    }

    /**
     * The durable invalidation outbox of a persistence unit, empty when it is off
     * ({@link LoomHibernateSettings#OUTBOX}) or Loom is not integrated with the unit.
     */
    public static Optional<OutboxStatus> outbox(EntityManagerFactory emf) {
        LoomUnit unit = LoomUnit.of(emf.unwrap(SessionFactoryImplementor.class));
        return Optional.ofNullable(unit == null ? null : unit.outbox()).map(OutboxView::new);
    }

    private record OutboxView(InvalidationOutbox outbox) implements OutboxStatus {
        @Override
        public String table() {
            return outbox.table();
        }

        @Override
        public int rows() {
            return outbox.size();
        }
    }

    /**
     * Loom's state of the native factory behind {@code emf}. Asking for the implementor interface
     * reaches through proxies that themselves implement {@link org.hibernate.SessionFactory}
     * (Spring's EntityManagerFactory bean).
     */
    private static LoomUnit unitOf(EntityManagerFactory emf) {
        return unitOf(emf.unwrap(SessionFactoryImplementor.class));
    }

    private static LoomUnit unitOf(SessionFactoryImplementor factory) {
        LoomUnit unit = LoomUnit.of(factory);
        if (unit == null) {
            throw notIntegrated();
        }
        return unit;
    }

    private static IllegalStateException notIntegrated() {
        return new IllegalStateException("Loom Cache is not integrated with this persistence unit: "
                + "is loom.hibernate.enabled false, or the integrator missing from the class path?");
    }
}
