package io.loom.cache.hibernate.e2e;

import io.loom.cache.hibernate.internal.InvalidationOutbox;
import io.loom.cache.hibernate.internal.LoomUnit;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import io.loom.cache.LoomCache;
import io.loom.cache.hibernate.LoomHibernate;
import io.loom.cache.hibernate.model.Author;
import io.loom.cache.hibernate.model.Book;
import io.loom.cache.hibernate.model.LibrarySeed;
import io.loom.cache.hibernate.model.Shelf;
import io.loom.cache.hibernate.model.ShelfItem;
import io.loom.cache.hibernate.model.TestDatabase;
import io.loom.cache.hibernate.model.Views.AuthorCreate;
import io.loom.cache.hibernate.model.Views.AuthorUpdate;
import io.loom.cache.hibernate.model.Views.AuthorView;
import io.loom.cache.hibernate.model.Views.BookCreate;
import io.loom.cache.hibernate.model.Views.BookUpdate;
import io.loom.cache.hibernate.model.Views.BookView;
import io.loom.cache.hibernate.model.Views.ShelfCreate;
import io.loom.cache.hibernate.model.Views.ShelfItemCreate;
import io.loom.cache.hibernate.model.Views.ShelfItemUpdate;
import io.loom.cache.hibernate.model.Views.ShelfItemView;
import io.loom.cache.hibernate.model.Views.ShelfUpdate;
import io.loom.cache.hibernate.model.Views.ShelfView;
import io.loom.cache.hibernate.repository.JpaEntityRepository;
import io.loom.cache.repository.Repository;
import io.loom.cache.stats.CacheStats;
import io.loom.cache.testing.RedisTestNamespace;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.SessionFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * One application node for end-to-end tests: a persistence unit with the Loom integrator on a
 * Redis namespace (or the in-memory default), seeded data, and cached repositories.
 */
public final class LoomTestUnit implements AutoCloseable {

    private final TestDatabase database;
    private RedisTestNamespace ownedNamespace;
    public final LibrarySeed.Ids ids;
    public final Repository<BookView, BookCreate, BookUpdate, Long> books;
    public final Repository<AuthorView, AuthorCreate, AuthorUpdate, Long> authors;
    /** Shelves (assigned ids) with profile {@code with_items}; items are saved and removed through them. */
    public final Repository<ShelfView, ShelfCreate, ShelfUpdate, Long> shelves;
    public final Repository<ShelfItemView, ShelfItemCreate, ShelfItemUpdate, Long> shelfItems;

    private LoomTestUnit(TestDatabase database, boolean seed) {
        this.database = database;
        this.ids = seed ? LibrarySeed.seed(database.emf()) : null;
        EntityManagerFactory emf = database.emf();
        this.books = LoomHibernate.wrap(emf, JpaEntityRepository.builder(emf, Book.class, BookView.class,
                BookCreate.class, BookUpdate.class, Long.class).profile("with_publisher", "publisher").build());
        this.authors = LoomHibernate.wrap(emf, JpaEntityRepository.builder(emf, Author.class, AuthorView.class,
                AuthorCreate.class, AuthorUpdate.class, Long.class).profile("with_books", "books").build());
        this.shelves = LoomHibernate.wrap(emf, JpaEntityRepository.builder(emf, Shelf.class, ShelfView.class,
                ShelfCreate.class, ShelfUpdate.class, Long.class).profile("with_items", "items").build());
        this.shelfItems = LoomHibernate.wrap(emf, JpaEntityRepository.builder(emf, ShelfItem.class,
                ShelfItemView.class, ShelfItemCreate.class, ShelfItemUpdate.class, Long.class).build());
    }

    /** Properties that put the cache of a unit on {@code namespace} of the shared test Redis. */
    public static Map<String, Object> redisProperties(String namespace) {
        return redisProperties(RedisTestNamespace.ADDRESS, namespace);
    }

    /** Properties that put the cache of a unit on {@code namespace} of the Redis at {@code address}. */
    public static Map<String, Object> redisProperties(String address, String namespace) {
        Map<String, Object> props = new HashMap<>();
        props.put("loom.cache.backends.default.type", "redis");
        props.put("loom.cache.backends.default.serializer", "msgpack");
        props.put("loom.cache.backends.default.address", address);
        props.put("loom.cache.backends.default.namespace", namespace);
        return props;
    }

    /**
     * A seeded H2 unit whose cache lives on a fresh namespace of the shared Redis, named after the
     * test class and removed again by {@link #close()}.
     */
    public static LoomTestUnit h2OnRedis(Class<?> testClass) {
        return h2OnRedis(testClass, Map.of());
    }

    /** {@link #h2OnRedis(Class)} with {@code extra} properties winning over the defaults. */
    public static LoomTestUnit h2OnRedis(Class<?> testClass, Map<String, Object> extra) {
        RedisTestNamespace namespace = RedisTestNamespace.create(testClass);
        try {
            LoomTestUnit unit = h2OnRedis(namespace.namespace(), extra, true);
            unit.ownedNamespace = namespace;
            return unit;
        } catch (RuntimeException e) {
            namespace.close();
            throw e;
        }
    }

    /** The Redis namespace this unit created for itself, if any. */
    public RedisTestNamespace namespace() {
        return ownedNamespace;
    }

    /** A seeded H2 unit whose cache lives on {@code namespace} of the shared Redis. */
    public static LoomTestUnit h2OnRedis(String namespace) {
        return new LoomTestUnit(TestDatabase.h2(redisProperties(namespace)), true);
    }

    /**
     * A unit with its cache on {@code namespace} of the shared Redis; {@code extra} properties win
     * (e.g. a shared {@code jakarta.persistence.jdbc.url} for a second node of one database, with
     * schema generation {@code none} and {@code seed} false).
     */
    public static LoomTestUnit h2OnRedis(String namespace, Map<String, Object> extra, boolean seed) {
        Map<String, Object> props = redisProperties(namespace);
        props.putAll(extra);
        return new LoomTestUnit(TestDatabase.h2(props), seed);
    }

    /** A seeded PostgreSQL unit (private schema) whose cache lives on {@code namespace}. */
    public static LoomTestUnit postgresOnRedis(String schemaPrefix, String namespace) {
        return new LoomTestUnit(TestDatabase.postgres(schemaPrefix, redisProperties(namespace)), true);
    }

    /** A seeded MariaDB unit (private database) whose cache lives on {@code namespace}. */
    public static LoomTestUnit mariadbOnRedis(String databasePrefix, String namespace) {
        return new LoomTestUnit(TestDatabase.mariadb(databasePrefix, redisProperties(namespace)), true);
    }

    /** A seeded H2 unit with the given properties (e.g. the in-memory default, or caching disabled). */
    public static LoomTestUnit h2(Map<String, Object> props) {
        return new LoomTestUnit(TestDatabase.h2(props), true);
    }

    public EntityManagerFactory emf() {
        return database.emf();
    }

    public SessionFactory sessionFactory() {
        return database.emf().unwrap(SessionFactory.class);
    }

    public LoomCache cache() {
        return LoomHibernate.cache(database.emf());
    }

    /** The internal outbox of a unit, for tests that drive its sweep and rows directly; fails when it is off. */
    public static InvalidationOutbox outboxOf(EntityManagerFactory emf) {
        InvalidationOutbox outbox = LoomUnit.of(emf.unwrap(SessionFactoryImplementor.class)).outbox();
        if (outbox == null) {
            throw new AssertionError("the unit has no outbox");
        }
        return outbox;
    }

    public CacheStats stats(String entity) {
        return cache().stats(entity);
    }

    public long bookId(int index) {
        return ids.books().get(index);
    }

    @Override
    public void close() {
        try {
            database.close();
        } finally {
            if (ownedNamespace != null) {
                ownedNamespace.close();
            }
        }
    }
}
