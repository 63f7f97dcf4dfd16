package io.loom.cache.hibernate.uow;

import io.loom.cache.declarative.CacheQuery;
import io.loom.cache.declarative.Cached;
import io.loom.cache.hibernate.model.TestDatabase;
import io.loom.cache.hibernate.repository.JpaEntityRepository;
import io.loom.cache.hibernate.repository.JpaTransactions;
import io.loom.cache.hibernate.uow.UowViews.WarehouseCreate;
import io.loom.cache.hibernate.uow.UowViews.WarehouseUpdate;
import io.loom.cache.hibernate.uow.UowViews.WarehouseView;
import io.loom.cache.repository.ReadSnapshot;
import io.loom.cache.repository.ReadTracking;
import io.loom.cache.stats.CacheStats;
import io.loom.cache.testing.RedisTestNamespace;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Reads inside a unit of work ({@link JpaTransactions#inTransaction}, {@link JpaTransactions#joining})
 * on two nodes of one H2 database: a value with an uncommitted change is never stored, a unit's
 * own change is read from the unit, a clean unit may be served hits but stores nothing.
 */
class UnitOfWorkTest {

    private static final RedisTestNamespace NS = RedisTestNamespace.create(UnitOfWorkTest.class);
    private static final AtomicLong IDS = new AtomicLong();
    private static UowNode a;
    private static UowNode b;

    @BeforeAll
    static void start() {
        String url = TestDatabase.sharedH2Url();
        a = UowNode.h2(NS.namespace(), url, true);
        b = UowNode.h2(NS.namespace(), url, false);
    }

    @AfterAll
    static void stop() {
        try {
            b.close();
            a.close();
        } finally {
            NS.close();
        }
    }

    private static String newWarehouse(String city) {
        String code = "w" + IDS.incrementAndGet();
        a.warehouses.create(new WarehouseCreate(code, city));
        return code;
    }

    private static final class Rollback extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void getById_afterOwnUpdateInUnitThatRollsBack_neverStoresTheUncommittedValue() {
        String code = newWarehouse("Lyon");
        assertThrows(Rollback.class, () -> JpaTransactions.inTransaction(a.emf(), em -> {
            a.warehouses.update(code, new WarehouseUpdate("never-committed"));
            assertEquals("never-committed", a.warehouses.getById(code).orElseThrow().city());
            throw new Rollback();
        }));
        for (int i = 0; i < 2; i++) {
            assertEquals("Lyon", a.warehouses.getById(code).orElseThrow().city());
            assertEquals("Lyon", b.warehouses.getById(code).orElseThrow().city());
        }
    }

    @Test
    void getById_cachedBeforeThenUpdatedInUnit_returnsTheUnitsOwnChange() {
        String code = newWarehouse("Lyon");
        a.warehouses.getById(code);
        CacheStats before = a.stats("warehouse");
        assertEquals("Lyon", a.warehouses.getById(code).orElseThrow().city());
        assertEquals(1, a.stats("warehouse").minus(before).hits(), "cached before the unit");
        JpaTransactions.inTransaction(a.emf(), em -> {
            a.warehouses.update(code, new WarehouseUpdate("Paris"));
            assertEquals("Paris", a.warehouses.getById(code).orElseThrow().city());
            assertEquals(1L, a.warehouses.listPaginated(new io.loom.cache.repository.PageParams(1, 10),
                    new io.loom.cache.repository.FilterParams(java.util.Map.of("city", "Paris")), "default")
                    .items().stream().filter(w -> w.code().equals(code)).count(), "a list inside the unit sees its change");
            return null;
        });
        assertEquals("Paris", a.warehouses.getById(code).orElseThrow().city());
        assertEquals("Paris", b.warehouses.getById(code).orElseThrow().city());
    }

    @Test
    void getById_changedInJoinedEntityManagerWithoutFlush_readsTheUnit() {
        String code = newWarehouse("Lyon");
        a.warehouses.getById(code);
        EntityManager em = a.emf().createEntityManager();
        try {
            em.getTransaction().begin();
            em.find(Warehouse.class, code).setCity("Nantes");
            assertEquals("Nantes", JpaTransactions.joining(em, () -> a.warehouses.getById(code)).orElseThrow().city());
            em.getTransaction().rollback();
        } finally {
            em.close();
        }
        assertEquals("Lyon", a.warehouses.getById(code).orElseThrow().city());
        assertEquals("Lyon", b.warehouses.getById(code).orElseThrow().city());
    }

    @Test
    void getById_inCleanUnit_servesHitsButStoresNoLoad() {
        String cached = newWarehouse("Lyon");
        String uncached = newWarehouse("Nice");
        a.warehouses.getById(cached);
        CacheStats before = a.stats("warehouse");
        JpaTransactions.inTransaction(a.emf(), em -> {
            assertEquals("Lyon", a.warehouses.getById(cached).orElseThrow().city());
            assertEquals("Nice", a.warehouses.getById(uncached).orElseThrow().city());
            return null;
        });
        CacheStats step = a.stats("warehouse").minus(before);
        assertEquals(1, step.hits(), "the clean unit is served the cached value");
        assertEquals(1, step.misses());
        assertEquals(0, step.stores(), "a load inside a caller's transaction is not stored");
        assertEquals(1L, step.storesSkipped().get("callerTransaction"), step.toString());
        CacheStats after = a.stats("warehouse");
        assertEquals("Nice", a.warehouses.getById(uncached).orElseThrow().city());
        assertEquals(1, a.stats("warehouse").minus(after).stores(), "outside the unit the load is stored");
    }

    @Cached(entity = "Warehouse")
    public interface WarehouseQueries {
        @CacheQuery(scope = CacheQuery.Scope.SINGLE)
        Optional<WarehouseView> byCity(String city);
    }

    /** A declared-query target reading through an uncached repository and reporting what it read. */
    record JpaWarehouseQueries(JpaEntityRepository<Warehouse, WarehouseView, WarehouseCreate, WarehouseUpdate, String> repo)
            implements WarehouseQueries, ReadTracking {
        @Override
        public Optional<WarehouseView> byCity(String city) {
            return repo.getBy("city", city);
        }

        @Override
        public <R> Tracked<R> tracked(Supplier<R> read) {
            return repo.tracked(read);
        }

        @Override
        public Set<String> entitiesRead(String profile) {
            return repo.entitiesRead(profile);
        }

        @Override
        public ReadSnapshot readSnapshot() {
            return repo.readSnapshot();
        }
    }

    @Test
    void declaredQuery_insideUnitThatRollsBack_neverStoresTheUncommittedValue() {
        String code = newWarehouse("Lyon");
        WarehouseQueries queries = a.cache().wrapDeclared(WarehouseQueries.class, new JpaWarehouseQueries(
                JpaEntityRepository.builder(a.emf(), Warehouse.class, WarehouseView.class, WarehouseCreate.class,
                        WarehouseUpdate.class, String.class).build()));
        String city = "rolled-back-" + code;
        assertThrows(Rollback.class, () -> JpaTransactions.inTransaction(a.emf(), em -> {
            a.warehouses.update(code, new WarehouseUpdate(city));
            assertEquals(code, queries.byCity(city).orElseThrow().code());
            throw new Rollback();
        }));
        assertEquals(Optional.empty(), queries.byCity(city));
        assertEquals(Optional.empty(), queries.byCity(city));
    }

    @Test
    void reads_inUnitWithPendingChanges_bypassTheCacheUnderANamedReason() {
        String code = newWarehouse("Lyon");
        a.warehouses.getById(code);
        CacheStats before = a.stats("warehouse");
        JpaTransactions.inTransaction(a.emf(), em -> {
            a.warehouses.update(code, new WarehouseUpdate("Paris"));
            a.warehouses.getById(code);
            return null;
        });
        CacheStats step = a.stats("warehouse").minus(before);
        assertEquals(0, step.hits());
        assertEquals(1L, step.bypassed().get("uncommittedChanges"), step.toString());
    }
}
