package io.loom.cache.hibernate.stateless;

import io.loom.cache.hibernate.LoomHibernate;
import io.loom.cache.hibernate.LoomHibernateSettings;
import io.loom.cache.hibernate.e2e.LoomTestUnit;
import io.loom.cache.hibernate.model.TestDatabase;
import io.loom.cache.testing.RedisTestNamespace;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A failure inside Loom's listener (here: an id whose {@code toString()} throws) never reaches the
 * application's write: the write commits, the failure is counted, and the transaction still bumps
 * (the entity's entries miss whole instead).
 */
class ListenerFailureTest {

    private static RedisTestNamespace namespace;
    private static EntityManagerFactory emf;

    @BeforeAll
    static void start() {
        namespace = RedisTestNamespace.create(ListenerFailureTest.class);
        Map<String, Object> props = new HashMap<>(LoomTestUnit.redisProperties(namespace.namespace()));
        props.put(LoomHibernateSettings.OUTBOX, "false");
        emf = TestDatabase.h2("loom-stateless", props).emf();
    }

    @AfterAll
    static void stop() {
        try {
            emf.close();
        } finally {
            namespace.close();
        }
    }

    private static long bumps() {
        return LoomHibernate.cache(emf).stats().bumps();
    }

    private static long rows() {
        return emf.callInTransaction(em -> em.createQuery("select count(i) from BrokenKeyItem i", Long.class)
                .getSingleResult());
    }

    @Test
    void sessionInsert_listenerFails_writeCommitsFailureCountedTransactionBumped() {
        long failures = LoomHibernate.listenerFailures(emf);
        long bumps = bumps();
        long rows = rows();

        emf.runInTransaction(em -> em.persist(new BrokenKeyItem(new BrokenKey(1, "north"), "persisted")));

        assertEquals(rows + 1, rows());
        assertEquals(failures + 1, LoomHibernate.listenerFailures(emf));
        assertEquals(bumps + 1, bumps());
    }

    @Test
    void statelessInsert_listenerFails_writeCommitsFailureCountedTransactionBumped() {
        long failures = LoomHibernate.listenerFailures(emf);
        long bumps = bumps();
        long rows = rows();

        emf.unwrap(SessionFactory.class).inStatelessTransaction(s ->
                s.insert(new BrokenKeyItem(new BrokenKey(2, "south"), "inserted")));

        assertEquals(rows + 1, rows());
        assertEquals(failures + 1, LoomHibernate.listenerFailures(emf));
        assertEquals(bumps + 1, bumps());
    }
}
