package io.loom.cache.hibernate.uow;

import io.loom.cache.hibernate.model.TestDatabase;
import io.loom.cache.hibernate.repository.JpaTransactions;
import io.loom.cache.hibernate.uow.UowViews.WarehouseCreate;
import io.loom.cache.hibernate.uow.UowViews.WarehouseUpdate;
import io.loom.cache.stats.CacheStats;
import io.loom.cache.testing.RedisTestNamespace;
import jakarta.persistence.EntityManager;
import org.hibernate.Session;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A REPEATABLE READ transaction fixes its snapshot at its first read. One that read before a
 * concurrent commit and its bump, then reads through the repository, is served its own (old)
 * snapshot, and that value must not be stored as current.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RepeatableReadSnapshotTest {

    private final RedisTestNamespace ns = RedisTestNamespace.create(getClass());
    private UowNode node;

    abstract TestDatabase.Kind server();

    @BeforeAll
    void start() {
        node = UowNode.on(server(), "loom_rr_" + server().name().toLowerCase(java.util.Locale.ROOT),
                ns.namespace());
        node.warehouses.create(new WarehouseCreate("rr", "Lyon"));
    }

    @AfterAll
    void stop() {
        try {
            node.close();
        } finally {
            ns.close();
        }
    }

    @Test
    void getById_inRepeatableReadTransactionOlderThanACommittedBump_isServedButNotStored() {
        EntityManager em = node.emf().createEntityManager();
        try {
            em.unwrap(Session.class).doWork(c -> c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ));
            em.getTransaction().begin();
            Object first = em.createNativeQuery("select city from Warehouse where code = 'rr'").getSingleResult();
            assertEquals("Lyon", first, "the snapshot is fixed at this read");

            node.warehouses.update("rr", new WarehouseUpdate("Paris"));   // its own transaction: commits and bumps

            CacheStats before = node.stats("warehouse");
            assertEquals("Lyon", JpaTransactions.joining(em, () -> node.warehouses.getById("rr"))
                    .orElseThrow().city(), "the transaction reads its snapshot");
            CacheStats step = node.stats("warehouse").minus(before);
            assertEquals(0, step.stores(), step.toString());
            assertEquals(1L, step.storesSkipped().get("callerTransaction"), step.toString());
            em.getTransaction().commit();
        } finally {
            em.close();
        }
        assertEquals("Paris", node.warehouses.getById("rr").orElseThrow().city());
        assertEquals("Paris", node.warehouses.getById("rr").orElseThrow().city());
    }
}
