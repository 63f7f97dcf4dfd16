package io.loom.cache.hibernate.stateless;

import io.loom.cache.hibernate.LoomHibernate;
import io.loom.cache.hibernate.LoomHibernateSettings;
import io.loom.cache.hibernate.e2e.LoomTestUnit;
import io.loom.cache.hibernate.model.PrivateDatabase;
import io.loom.cache.hibernate.model.TestDatabase;
import io.loom.cache.hibernate.repository.JpaEntityRepository;
import io.loom.cache.hibernate.stateless.StatelessViews.CustomerCreate;
import io.loom.cache.hibernate.stateless.StatelessViews.CustomerUpdate;
import io.loom.cache.hibernate.stateless.StatelessViews.CustomerView;
import io.loom.cache.hibernate.stateless.StatelessViews.NoteCreate;
import io.loom.cache.hibernate.stateless.StatelessViews.NoteUpdate;
import io.loom.cache.hibernate.stateless.StatelessViews.NoteView;
import io.loom.cache.repository.Repository;
import io.loom.cache.testing.RedisTestNamespace;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import org.hibernate.SessionFactory;
import org.hibernate.StatelessSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * StatelessSession writes on node A, reads on node B (one database, one Redis namespace): every
 * insert, update, delete and upsert, of an entity with a version and an owned collection and of a
 * plain one, commits, is seen by B's next read, and costs one bump per transaction (one per
 * statement when StatelessSession runs without a transaction and each statement auto-commits).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StatelessSessionInvalidationTest {

    private static final AtomicLong IDS = new AtomicLong(1000);

    private final TestDatabase.Kind kind;
    private PrivateDatabase database;
    private RedisTestNamespace namespace;
    private EntityManagerFactory nodeA;
    private EntityManagerFactory nodeB;
    private Repository<CustomerView, CustomerCreate, CustomerUpdate, Long> customersOnB;
    private Repository<NoteView, NoteCreate, NoteUpdate, Long> notesOnB;

    StatelessSessionInvalidationTest(TestDatabase.Kind kind) {
        this.kind = kind;
    }

    @BeforeAll
    void start() {
        namespace = RedisTestNamespace.create(getClass());
        database = PrivateDatabase.create(kind, "loom_stateless");
        nodeA = node(true);
        nodeB = node(false);
        customersOnB = LoomHibernate.wrap(nodeB, JpaEntityRepository.builder(nodeB, Customer.class,
                CustomerView.class, CustomerCreate.class, CustomerUpdate.class, Long.class).build());
        notesOnB = LoomHibernate.wrap(nodeB, JpaEntityRepository.builder(nodeB, Note.class,
                NoteView.class, NoteCreate.class, NoteUpdate.class, Long.class).build());
        inTransaction(s -> {
            s.insert(new Tag(1L, "gold"));
            s.insert(new Tag(2L, "silver"));
        });
    }

    private EntityManagerFactory node(boolean createSchema) {
        Map<String, Object> props = database.properties();
        props.putAll(LoomTestUnit.redisProperties(namespace.namespace()));
        props.put("jakarta.persistence.schema-generation.database.action", createSchema ? "drop-and-create" : "none");
        props.put(LoomHibernateSettings.OUTBOX, "false");
        return Persistence.createEntityManagerFactory("loom-stateless", props);
    }

    @AfterAll
    void stop() {
        try {
            assertEquals(0, LoomHibernate.listenerFailures(nodeA), "listener failures on node A");
        } finally {
            try {
                nodeB.close();
                nodeA.close();
            } finally {
                database.close();
                namespace.close();
            }
        }
    }

    private void inTransaction(Consumer<StatelessSession> work) {
        nodeA.unwrap(SessionFactory.class).inStatelessTransaction(work);
    }

    private void withoutTransaction(Consumer<StatelessSession> work) {
        try (StatelessSession session = nodeA.unwrap(SessionFactory.class).openStatelessSession()) {
            work.accept(session);
        }
    }

    /** Bumps node A delivered while {@code write} ran. */
    private long bumps(Runnable write) {
        long before = LoomHibernate.cache(nodeA).stats().bumps();
        write.run();
        return LoomHibernate.cache(nodeA).stats().bumps() - before;
    }

    private static Customer customer(long id, String name, long... tagIds) {
        Customer customer = new Customer(id, name);
        for (long tagId : tagIds) {
            customer.getTags().add(new Tag(tagId, "ignored"));
        }
        return customer;
    }

    /** Caches the current value of {@code id} on node B and returns it. */
    private Optional<CustomerView> cachedOnB(long id) {
        customersOnB.getById(id);
        return customersOnB.getById(id);
    }

    private void insertCommitted(long id, String name, long... tagIds) {
        inTransaction(s -> s.insert(customer(id, name, tagIds)));
    }

    @Test
    void insert_customerWithEmptyTagSet_commitsAndIsSeenOnSecondNode() {
        long id = IDS.incrementAndGet();
        assertTrue(cachedOnB(id).isEmpty());

        assertEquals(1, bumps(() -> inTransaction(s -> s.insert(customer(id, "Ada")))));

        assertEquals("Ada", customersOnB.getById(id).orElseThrow().name());
    }

    @Test
    void insert_customerWithTags_commitsRowsOfTheJoinTableAndIsSeenOnSecondNode() {
        long id = IDS.incrementAndGet();
        assertTrue(cachedOnB(id).isEmpty());

        assertEquals(1, bumps(() -> inTransaction(s -> s.insert(customer(id, "Grace", 1L, 2L)))));

        assertEquals("Grace", customersOnB.getById(id).orElseThrow().name());
        assertEquals(2, tagCount(id));
    }

    private long tagCount(long id) {
        return nodeA.unwrap(SessionFactory.class).fromStatelessTransaction(s -> s.createNativeQuery(
                "select count(*) from sl_customer_tag where Customer_id = :id", Long.class)
                .setParameter("id", id).getSingleResult());
    }

    @Test
    void update_versionedCustomerWithTags_isSeenOnSecondNode() {
        long id = IDS.incrementAndGet();
        insertCommitted(id, "Linus", 1L);
        assertEquals("Linus", cachedOnB(id).orElseThrow().name());

        assertEquals(1, bumps(() -> inTransaction(s -> {
            Customer loaded = s.get(Customer.class, id);
            loaded.setName("Linus T.");
            s.update(loaded);
        })));

        assertEquals("Linus T.", customersOnB.getById(id).orElseThrow().name());
        assertEquals(1, nodeA.unwrap(SessionFactory.class).fromStatelessTransaction(s ->
                s.get(Customer.class, id)).getVersion());
    }

    @Test
    void delete_versionedCustomerWithEmptyTagSet_isSeenOnSecondNode() {
        // StatelessSession.delete leaves join-table rows to the application: the tag set is empty.
        long id = IDS.incrementAndGet();
        insertCommitted(id, "Barbara");
        assertTrue(cachedOnB(id).isPresent());

        assertEquals(1, bumps(() -> inTransaction(s -> s.delete(s.get(Customer.class, id)))));

        assertTrue(customersOnB.getById(id).isEmpty());
    }

    @Test
    void upsert_ofExistingAndNewNotes_isSeenOnSecondNode() {
        long existing = IDS.incrementAndGet();
        long fresh = IDS.incrementAndGet();
        inTransaction(s -> s.insert(new Note(existing, "draft")));
        notesOnB.getById(existing);
        assertEquals("draft", notesOnB.getById(existing).orElseThrow().text());
        notesOnB.getById(fresh);
        assertTrue(notesOnB.getById(fresh).isEmpty());

        assertEquals(1, bumps(() -> inTransaction(s -> {
            s.upsert(new Note(existing, "final"));
            s.upsert(new Note(fresh, "new"));
        })));

        assertEquals("final", notesOnB.getById(existing).orElseThrow().text());
        assertEquals("new", notesOnB.getById(fresh).orElseThrow().text());
    }

    @Test
    void upsert_ofVersionedCustomerWithTags_isSeenOnSecondNode() {
        long id = IDS.incrementAndGet();
        insertCommitted(id, "Edsger", 1L);
        assertEquals("Edsger", cachedOnB(id).orElseThrow().name());

        assertEquals(1, bumps(() -> inTransaction(s -> {
            Customer loaded = s.get(Customer.class, id);
            loaded.setName("Edsger D.");
            s.upsert(loaded);
        })));

        assertEquals("Edsger D.", customersOnB.getById(id).orElseThrow().name());
    }

    @Test
    void manyStatementsInOneTransaction_oneBump() {
        long customer = IDS.incrementAndGet();
        long note = IDS.incrementAndGet();
        insertCommitted(customer, "Alan", 1L);
        cachedOnB(customer);

        assertEquals(1, bumps(() -> inTransaction(s -> {
            s.insert(new Note(note, "one"));
            s.update(new Note(note, "two"));
            Customer loaded = s.get(Customer.class, customer);
            loaded.setName("Alan T.");
            s.update(loaded);
            s.upsert(new Note(IDS.incrementAndGet(), "three"));
        })));

        assertEquals("Alan T.", customersOnB.getById(customer).orElseThrow().name());
        assertEquals("two", notesOnB.getById(note).orElseThrow().text());
    }

    @Test
    void withoutTransaction_eachAutoCommittedStatementIsSeenOnSecondNode() {
        long id = IDS.incrementAndGet();
        long note = IDS.incrementAndGet();
        assertTrue(cachedOnB(id).isEmpty());
        notesOnB.getById(note);

        // Four auto-committed units: the customer's row, its join-table rows, the note, the upsert.
        assertEquals(4, bumps(() -> withoutTransaction(s -> {
            s.insert(customer(id, "Margaret", 2L));
            s.insert(new Note(note, "a"));
            s.upsert(new Note(note, "b"));
        })));
        assertEquals("Margaret", customersOnB.getById(id).orElseThrow().name());
        assertEquals("b", notesOnB.getById(note).orElseThrow().text());

        inTransaction(s -> s.createNativeMutationQuery("delete from sl_customer_tag where Customer_id = :id")
                .setParameter("id", id).executeUpdate());
        assertEquals(1, bumps(() -> withoutTransaction(s -> s.delete(s.get(Customer.class, id)))));
        assertFalse(customersOnB.getById(id).isPresent());
    }
}
