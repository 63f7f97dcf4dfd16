package io.loom.cache.hibernate;

import io.loom.cache.LoomCache;
import io.loom.cache.repository.Repository;
import io.loom.cache.hibernate.internal.InvalidationOutbox;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.SessionFactory;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Entry point for application code: the {@link LoomCache} of a persistence unit, and wrapping of
 * its repositories.
 *
 * <pre>{@code
 * EntityManagerFactory emf = Persistence.createEntityManagerFactory("app");
 * Repository<BookView, BookCreate, BookUpdate, Long> books =
 *         LoomHibernate.wrap(emf, JpaEntityRepository.builder(emf, Book.class, ...).build());
 * }</pre>
 */
public final class LoomHibernate {

    private static final Map<SessionFactory, LoomCache> CACHES = new ConcurrentHashMap<>();
    private static final Map<SessionFactory, Boolean> CLAIMED = new ConcurrentHashMap<>();
    private static final Map<SessionFactory, InvalidationOutbox> OUTBOXES = new ConcurrentHashMap<>();

    private LoomHibernate() {
    }

    /**
     * The cache of a persistence unit.
     *
     * @throws IllegalStateException if the integrator did not run for it (disabled or not on the class path)
     */
    public static LoomCache cache(EntityManagerFactory emf) {
        LoomCache cache = CACHES.get(emf.unwrap(SessionFactory.class));
        if (cache == null) {
            throw new IllegalStateException("Loom Cache is not integrated with this persistence unit: "
                    + "is loom.hibernate.enabled false, or the integrator missing from the class path?");
        }
        return cache;
    }

    /** Wraps a repository of this persistence unit with its cache (pass-through when caching is disabled). */
    public static <O, C, U, I> Repository<O, C, U, I> wrap(EntityManagerFactory emf, Repository<O, C, U, I> repository) {
        return cache(emf).wrap(repository);
    }

    /**
     * The durable invalidation outbox of a persistence unit, empty when it is off
     * ({@link LoomHibernateSettings#OUTBOX}).
     */
    public static Optional<InvalidationOutbox> outbox(EntityManagerFactory emf) {
        return Optional.ofNullable(OUTBOXES.get(emf.unwrap(SessionFactory.class)));
    }

    static boolean claim(SessionFactory sessionFactory) {
        return CLAIMED.putIfAbsent(sessionFactory, Boolean.TRUE) == null;
    }

    static void register(SessionFactory sessionFactory, LoomCache cache, InvalidationOutbox outbox) {
        CACHES.put(sessionFactory, cache);
        if (outbox != null) {
            OUTBOXES.put(sessionFactory, outbox);
        }
    }

    static void release(SessionFactory sessionFactory) {
        CLAIMED.remove(sessionFactory);
        InvalidationOutbox outbox = OUTBOXES.remove(sessionFactory);
        if (outbox != null) {
            outbox.close();
        }
        LoomCache cache = CACHES.remove(sessionFactory);
        if (cache != null) {
            cache.close();
        }
    }
}
