package io.loom.cache.benchmarks;

import io.loom.cache.LoomCache;
import io.loom.cache.hibernate.LoomHibernate;
import io.loom.cache.hibernate.LoomHibernateSettings;
import io.loom.cache.hibernate.repository.JpaEntityRepository;
import io.loom.cache.invalidation.EntityNames;
import io.loom.cache.repository.QuerySpec;
import io.loom.cache.repository.Repository;
import io.loom.cache.stats.CacheStats;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.SessionFactory;

/**
 * Loom through the product path: a Hibernate session factory (an {@code EntityManagerFactory}) on
 * HikariCP and PostgreSQL with Loom's integrator, discovered from the class path and configured by
 * {@code loom.cache.*} properties; {@link JpaEntityRepository} for {@link BenchBook} with
 * {@link BookRow} as its output record, wrapped by {@link LoomHibernate#wrap}.
 *
 * <ul>
 *   <li>{@code find} = {@code getById(id)};</li>
 *   <li>{@code list} = {@code listWithQuery(where("category").eq(c).orderBy("title").first(limit))}:
 *       the first page of a keyset query, i.e. {@code WHERE category = ? ORDER BY title, id LIMIT
 *       limit + 1} on a miss (titles are unique, so the same rows in the same order as the
 *       anchors' {@code ORDER BY title LIMIT limit}, and no count query);</li>
 *   <li>{@code update} = find + increment + commit in a plain {@code EntityManager}; the
 *       integrator bumps the row's tags when the transaction commits.</li>
 * </ul>
 * Hit counts: misses are the database loads the cache ran ({@link CountingRepository}), per kind;
 * hits are the remaining reads. Thread-safe.
 */
final class LoomReader implements EntityReader {

    private final BenchSettings settings;
    private final Implementation implementation;
    private final boolean onRedis;
    private final BenchSessionFactory unit;
    private final LoomCache cache;
    private final CountingRepository<BookRow, BookRow, BookRow, Long> loads;
    private final Repository<BookRow, BookRow, BookRow, Long> books;
    private final String entity;
    /** Another node on the same namespace (closed with this reader), or null. */
    private volatile LoomCache peer;

    LoomReader(BenchSettings settings, int maxThreads, Map<String, Object> loomProperties,
               Implementation implementation) {
        this.settings = settings;
        this.implementation = implementation;
        this.onRedis = implementation != Implementation.LOOM_MEMORY;
        Map<String, Object> hibernate = new HashMap<>(loomProperties);
        hibernate.put(LoomHibernateSettings.ENABLED, "true");
        this.unit = BenchSessionFactory.open(settings, onRedis ? "bench-loom-redis" : "bench-loom-memory",
                maxThreads, hibernate);
        SessionFactory sessionFactory = unit.get();
        this.cache = LoomHibernate.cache(sessionFactory);
        this.loads = new CountingRepository<>(JpaEntityRepository
                .builder(sessionFactory, BenchBook.class, BookRow.class, BookRow.class, BookRow.class, Long.class)
                .build());
        this.books = LoomHibernate.wrap(sessionFactory, loads);
        this.entity = EntityNames.of(BenchBook.class);
    }

    /** Adds another Loom node on the same namespace, closed with this reader. */
    void addPeer(LoomCache other) {
        this.peer = other;
    }

    /** The persistence unit's cache (statistics, explicit invalidation). */
    LoomCache cache() {
        return cache;
    }

    @Override
    public BookRow find(long id) {
        loads.countEntityRead();
        return books.getById(id).orElseThrow(
                () -> new BenchException("no row with id " + id + " in " + BenchDatabase.TABLE));
    }

    @Override
    public List<BookRow> list(String category, int limit) {
        loads.countListRead();
        return books.listWithQuery(QuerySpec.where("category").eq(category).orderBy("title").first(limit)).items();
    }

    @Override
    public void update(long id) {
        BenchBook.bumpRevision(unit.get(), id);
    }

    @Override
    public CacheCounters counters() {
        return loads.counters();
    }

    /** Loom's own statistics of the benchmark entity (hits, misses, loads, raced stores, bypasses...). */
    CacheStats stats() {
        return cache.stats(entity);
    }

    /** Prints Loom's own counters of the trial (warm-up included) before closing: raced stores, bypasses, fallbacks. */
    @Override
    public void close() {
        System.out.printf("%nLOOM STATS %s: %s%n", this, stats());
        try {
            if (peer != null) {
                peer.close();
            }
            unit.close();
        } finally {
            if (onRedis) {
                RedisKeys.deleteAll(settings, LoomReaders.NAMESPACE_SECTION);
            }
        }
    }

    @Override
    public String toString() {
        return "LoomReader[" + implementation + "]";
    }
}
