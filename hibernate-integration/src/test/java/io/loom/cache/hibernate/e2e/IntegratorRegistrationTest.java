package io.loom.cache.hibernate.e2e;

import io.loom.cache.config.CacheConfigException;
import io.loom.cache.hibernate.LoomHibernate;
import io.loom.cache.hibernate.LoomHibernateSettings;
import io.loom.cache.hibernate.LoomIntegratorProvider;
import io.loom.cache.hibernate.internal.CommitListener;
import io.loom.cache.hibernate.model.Book;
import io.loom.cache.hibernate.model.LibrarySeed;
import io.loom.cache.hibernate.model.TestDatabase;
import io.loom.cache.hibernate.model.Views.BookCreate;
import io.loom.cache.hibernate.model.Views.BookUpdate;
import io.loom.cache.hibernate.model.Views.BookView;
import io.loom.cache.hibernate.repository.JpaEntityRepository;
import io.loom.cache.repository.QuerySpec;
import io.loom.cache.repository.Repository;
import io.loom.cache.stats.CacheStats;
import org.hibernate.SessionFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.event.spi.EventType;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the integrator is registered and switched off, on H2 with the in-memory cache. */
class IntegratorRegistrationTest {

    private static final List<EventType<?>> LISTENED = List.of(EventType.POST_INSERT, EventType.POST_UPDATE,
            EventType.POST_DELETE, EventType.POST_COLLECTION_RECREATE, EventType.POST_COLLECTION_UPDATE,
            EventType.POST_COLLECTION_REMOVE);

    private static long commitListeners(SessionFactory sessionFactory, EventType<?> type) {
        var group = sessionFactory.unwrap(SessionFactoryImplementor.class).getEventListenerRegistry()
                .getEventListenerGroup(type);
        return StreamSupport.stream(group.listeners().spliterator(), false)
                .filter(CommitListener.class::isInstance).count();
    }

    private static void assertCommitListeners(LoomTestUnit unit, long expected) {
        for (EventType<?> type : LISTENED) {
            assertEquals(expected, commitListeners(unit.sessionFactory(), type), type.eventName());
        }
    }

    @Test
    void discoveredIntegrator_alone_givesTheUnitACacheAndOneListenerSet() {
        try (LoomTestUnit unit = LoomTestUnit.h2(Map.of())) {
            assertNotNull(unit.cache());
            assertCommitListeners(unit, 1);
        }
    }

    @Test
    void providerAndDiscoveryTogether_integrateOnce_oneBumpPerCommit() {
        try (LoomTestUnit unit = LoomTestUnit.h2(Map.of("hibernate.integrator_provider",
                LoomIntegratorProvider.class.getName()))) {
            assertCommitListeners(unit, 1);
            long first = unit.bookId(0);
            long second = unit.bookId(1);
            CacheStats before = unit.cache().stats();
            unit.emf().runInTransaction(em -> {
                em.find(Book.class, first).setTitle("One commit, first row");
                em.find(Book.class, second).setTitle("One commit, second row");
            });
            assertEquals(1, unit.cache().stats().minus(before).bumps());
        }
    }

    @Test
    void hibernateIntegrationDisabled_noCacheAndNoListeners_evenWhenDeclaredExplicitly() {
        try (TestDatabase discovered = TestDatabase.h2(Map.of(LoomHibernateSettings.ENABLED, "false"));
             TestDatabase declared = TestDatabase.h2(Map.of(LoomHibernateSettings.ENABLED, "false",
                     "hibernate.integrator_provider", LoomIntegratorProvider.class.getName()))) {
            for (TestDatabase database : List.of(discovered, declared)) {
                assertThrows(IllegalStateException.class, () -> LoomHibernate.cache(database.emf()));
                for (EventType<?> type : LISTENED) {
                    assertEquals(0, commitListeners(database.emf().unwrap(SessionFactory.class), type));
                }
                // writes still commit normally without the integration
                LibrarySeed.seed(database.emf());
            }
        }
    }

    @Test
    void cachingDisabled_wrapReturnsTheRepositoryItself_everyReadHitsTheDatabase() {
        try (TestDatabase database = TestDatabase.h2(Map.of("loom.cache.enabled", "false"))) {
            var emf = database.emf();
            LibrarySeed.Ids ids = LibrarySeed.seed(emf);
            Repository<BookView, ?, ?, Long> plain = JpaEntityRepository.builder(emf, Book.class, BookView.class,
                    BookCreate.class, BookUpdate.class, Long.class).build();
            Repository<BookView, ?, ?, Long> wrapped = LoomHibernate.wrap(emf, plain);
            assertSame(plain, wrapped);

            Statistics statistics = emf.unwrap(SessionFactory.class).getStatistics();
            long id = ids.books().get(0);
            QuerySpec spec = QuerySpec.where("genre").eq("crime").orderBy("title").page(1, 5);
            long start = statistics.getPrepareStatementCount();
            wrapped.getById(id);
            wrapped.listWithQuery(spec);
            long perRound = statistics.getPrepareStatementCount() - start;
            assertTrue(perRound >= 2, "each read runs SQL, got " + perRound);
            for (int round = 0; round < 3; round++) {
                long before = statistics.getPrepareStatementCount();
                wrapped.getById(id);
                wrapped.listWithQuery(spec);
                assertEquals(perRound, statistics.getPrepareStatementCount() - before);
            }
            assertEquals(0, LoomHibernate.cache(emf).stats().hits());
        }
    }

    @Test
    void invalidCacheProperty_failsStartUpWithCacheConfigExceptionNamingTheKey() {
        RuntimeException failure = assertThrows(RuntimeException.class,
                () -> TestDatabase.h2(Map.of("loom.cache.default-ttl", "-5")).close());
        CacheConfigException cause = configCause(failure);
        assertTrue(cause.key().contains("default-ttl"), cause.key());
        assertTrue(cause.getMessage().contains("default-ttl"), cause.getMessage());
    }

    @Test
    void unknownCacheProperty_failsStartUpWithCacheConfigExceptionNamingTheKey() {
        RuntimeException failure = assertThrows(RuntimeException.class,
                () -> TestDatabase.h2(Map.of("loom.cache.defualt-ttl", "30")).close());
        CacheConfigException cause = configCause(failure);
        assertTrue(cause.key().contains("defualt-ttl"), cause.key());
    }

    @Test
    void redissonClientSettingThatIsNotAClient_failsStartUpNamingTheSetting() {
        RuntimeException failure = assertThrows(RuntimeException.class,
                () -> TestDatabase.h2(Map.of(LoomHibernateSettings.REDISSON_CLIENT, "redis://127.0.0.1:6379")).close());
        assertEquals(LoomHibernateSettings.REDISSON_CLIENT, configCause(failure).key());
    }

    private static CacheConfigException configCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CacheConfigException e) {
                return e;
            }
        }
        return assertInstanceOf(CacheConfigException.class, failure, "no CacheConfigException in the cause chain");
    }
}
