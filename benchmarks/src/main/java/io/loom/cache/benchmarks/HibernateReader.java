package io.loom.cache.benchmarks;

import io.loom.cache.hibernate.LoomHibernateSettings;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.Root;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.query.Query;
import org.hibernate.stat.Statistics;

/**
 * Plain Hibernate over HikariCP and PostgreSQL, with or without Hibernate's own caches.
 *
 * <p>Every call opens a fresh session (a fresh persistence context, as a request would): reads run
 * without an explicit transaction, the update runs {@code find} + increment + commit. The list is a
 * Criteria query (category equals, order by title, max results). With {@link #secondLevelCache}
 * the entity is cached {@code READ_WRITE} and the list query is {@code cacheable}, both through
 * Redisson's region factory, with the query cache storing full rows ({@code query_cache_layout=FULL},
 * one region read per hit). Criteria plans are cached in both modes. Thread-safe.
 */
final class HibernateReader implements EntityReader {

    /** Region prefix under {@link BenchSettings#keyPrefix()}: regions are {@code loom-bench:2lc.<region>}. */
    static final String REGION_SECTION = "2lc";

    private final BenchSettings settings;
    private final boolean cached;
    private final BenchSessionFactory unit;
    private final SessionFactory sessionFactory;
    private final Statistics statistics;

    private HibernateReader(BenchSettings settings, int maxThreads, boolean cached) {
        this.settings = settings;
        this.cached = cached;
        Map<String, Object> hibernate = new HashMap<>();
        hibernate.put(LoomHibernateSettings.ENABLED, "false");
        hibernate.put(AvailableSettings.GENERATE_STATISTICS, Boolean.toString(cached));
        hibernate.put(AvailableSettings.USE_SECOND_LEVEL_CACHE, Boolean.toString(cached));
        hibernate.put(AvailableSettings.USE_QUERY_CACHE, Boolean.toString(cached));
        if (cached) {
            hibernate.put(AvailableSettings.CACHE_REGION_FACTORY, BenchRegionFactory.class.getName());
            hibernate.put(AvailableSettings.CACHE_REGION_PREFIX, settings.keyPrefix() + REGION_SECTION);
            hibernate.put(AvailableSettings.QUERY_CACHE_LAYOUT, "FULL");
            hibernate.put(BenchRegionFactory.REDIS_ADDRESS, settings.redisAddress());
            hibernate.put(BenchRegionFactory.POOL_SIZE, Integer.toString(maxThreads + 8));
        }
        this.unit = BenchSessionFactory.open(settings, cached ? "bench-2lc" : "bench-nocache", maxThreads, hibernate);
        this.sessionFactory = unit.get();
        this.statistics = sessionFactory.getStatistics();
    }

    /** Scenario 3 and the list/mix baseline: no cache at all. */
    static HibernateReader uncached(BenchSettings settings, int maxThreads) {
        return new HibernateReader(settings, maxThreads, false);
    }

    /** Scenario 4: Hibernate second-level + query cache through redisson-hibernate-7. */
    static HibernateReader secondLevelCache(BenchSettings settings, int maxThreads) {
        return new HibernateReader(settings, maxThreads, true);
    }

    /** The session factory, for probes that inspect Hibernate directly. */
    SessionFactory sessionFactory() {
        return sessionFactory;
    }

    @Override
    public BookRow find(long id) {
        try (Session session = sessionFactory.openSession()) {
            BenchBook book = session.find(BenchBook.class, id);
            if (book == null) {
                throw new BenchException("no row with id " + id + " in " + BenchDatabase.TABLE);
            }
            return book.toRow();
        }
    }

    @Override
    public List<BookRow> list(String category, int limit) {
        try (Session session = sessionFactory.openSession()) {
            CriteriaBuilder cb = session.getCriteriaBuilder();
            CriteriaQuery<BenchBook> criteria = cb.createQuery(BenchBook.class);
            Root<BenchBook> book = criteria.from(BenchBook.class);
            criteria.select(book)
                    .where(cb.equal(book.get("category"), category))
                    .orderBy(cb.asc(book.get("title")));
            Query<BenchBook> query = session.createQuery(criteria).setMaxResults(limit).setCacheable(cached);
            List<BenchBook> books = query.getResultList();
            List<BookRow> rows = new ArrayList<>(books.size());
            for (BenchBook b : books) {
                rows.add(b.toRow());
            }
            return rows;
        }
    }

    @Override
    public void update(long id) {
        BenchBook.bumpRevision(sessionFactory, id);
    }

    @Override
    public CacheCounters counters() {
        if (!cached) {
            return CacheCounters.NONE;
        }
        return new CacheCounters(statistics.getSecondLevelCacheHitCount(), statistics.getSecondLevelCacheMissCount(),
                statistics.getQueryCacheHitCount(), statistics.getQueryCacheMissCount());
    }

    @Override
    public void close() {
        try {
            if (cached) {
                sessionFactory.getCache().evictAllRegions();
            }
            unit.close();
        } finally {
            if (cached) {
                RedisKeys.deleteAll(settings, REGION_SECTION);
            }
        }
    }
}
