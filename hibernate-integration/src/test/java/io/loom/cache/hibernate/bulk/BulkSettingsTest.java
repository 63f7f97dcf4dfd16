package io.loom.cache.hibernate.bulk;

import io.loom.cache.hibernate.LoomHibernate;
import io.loom.cache.hibernate.e2e.LoomTestUnit;
import io.loom.cache.hibernate.internal.bulk.NoStorageRegionFactory;
import io.loom.cache.hibernate.model.Book;
import io.loom.cache.hibernate.model.TestDatabase;
import io.loom.cache.stats.CacheStats;
import io.loom.cache.testing.RedisTestNamespace;
import org.hibernate.cache.internal.NoCachingRegionFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Hibernate settings Loom supplies for bulk detection, and what it leaves to the application. */
class BulkSettingsTest {

    private static RedisTestNamespace namespace;

    @BeforeAll
    static void start() {
        namespace = RedisTestNamespace.create(BulkSettingsTest.class);
    }

    @AfterAll
    static void stop() {
        namespace.close();
    }

    private static SessionFactoryImplementor factory(LoomTestUnit unit) {
        return unit.emf().unwrap(SessionFactoryImplementor.class);
    }

    private static String timestampsType(SessionFactoryImplementor factory) {
        return factory.getCache().getTimestampsCache().getClass().getSimpleName();
    }

    private static void bulkRename(LoomTestUnit unit, long id, String title) {
        unit.emf().runInTransaction(em -> em.createQuery("update Book b set b.title = :t where b.id = :id")
                .setParameter("t", title).setParameter("id", id).executeUpdate());
    }

    @Test
    void noRegionFactoryConfigured_storesNothing_secondLevelCacheOff_queryCacheOn() {
        try (LoomTestUnit unit = LoomTestUnit.h2OnRedis(namespace.namespace() + ":default", Map.of(), true)) {
            SessionFactoryImplementor factory = factory(unit);
            assertInstanceOf(NoStorageRegionFactory.class, factory.getCache().getRegionFactory());
            assertFalse(factory.getSessionFactoryOptions().isSecondLevelCacheEnabled());
            assertTrue(factory.getSessionFactoryOptions().isQueryCacheEnabled());
            assertEquals("BulkAwareTimestampsCache", timestampsType(factory));
        }
    }

    @Test
    void applicationRegionFactory_staysInPlace_andBulkWritesStillInvalidate() {
        Map<String, Object> props = Map.of(
                "hibernate.cache.region.factory_class", MapRegionFactory.class.getName(),
                "hibernate.cache.use_second_level_cache", "true");
        try (LoomTestUnit unit = LoomTestUnit.h2OnRedis(namespace.namespace() + ":own", props, true)) {
            SessionFactoryImplementor factory = factory(unit);
            assertInstanceOf(MapRegionFactory.class, factory.getCache().getRegionFactory());
            assertTrue(factory.getSessionFactoryOptions().isSecondLevelCacheEnabled());
            assertEquals("BulkAwareTimestampsCache", timestampsType(factory));

            long id = unit.bookId(0);
            unit.books.getById(id);
            bulkRename(unit, id, "Own region factory");
            CacheStats start = unit.stats("book");
            assertEquals("Own region factory", unit.books.getById(id).orElseThrow().title());
            assertEquals(1, unit.stats("book").minus(start).staleMisses());
        }
    }

    @Test
    void queryCacheExplicitlyOff_bulkWritesUnseen_explicitInvalidateNeeded() {
        Map<String, Object> props = Map.of("hibernate.cache.use_query_cache", "false");
        try (LoomTestUnit unit = LoomTestUnit.h2OnRedis(namespace.namespace() + ":off", props, true)) {
            assertFalse(factory(unit).getSessionFactoryOptions().isQueryCacheEnabled());
            long id = unit.bookId(0);
            String title = unit.books.getById(id).orElseThrow().title();
            bulkRename(unit, id, "Unseen bulk rename");
            CacheStats start = unit.stats("book");
            assertEquals(title, unit.books.getById(id).orElseThrow().title());
            assertEquals(1, unit.stats("book").minus(start).hits());

            LoomHibernate.invalidate(unit.emf(), Book.class);
            assertEquals("Unseen bulk rename", unit.books.getById(id).orElseThrow().title());
        }
    }

    @Test
    void loomDisabled_hibernateSettingsUntouched() {
        try (TestDatabase database = TestDatabase.h2(Map.of("loom.hibernate.enabled", "false"))) {
            SessionFactoryImplementor factory = database.emf().unwrap(SessionFactoryImplementor.class);
            assertInstanceOf(NoCachingRegionFactory.class, factory.getCache().getRegionFactory());
            assertFalse(factory.getSessionFactoryOptions().isQueryCacheEnabled());
        }
    }
}
