package io.loom.cache.hibernate.uow;

import io.loom.cache.declarative.CacheQuery;
import io.loom.cache.declarative.Cached;
import io.loom.cache.hibernate.LoomHibernate;
import io.loom.cache.hibernate.model.TestDatabase;
import io.loom.cache.hibernate.repository.JpaEntityRepository;
import io.loom.cache.repository.Direction;
import io.loom.cache.repository.Filter;
import io.loom.cache.repository.FilterOp;
import io.loom.cache.repository.FilterParams;
import io.loom.cache.repository.InvalidQueryException;
import io.loom.cache.repository.PageParams;
import io.loom.cache.repository.QuerySpec;
import io.loom.cache.repository.Repository;
import io.loom.cache.repository.Sort;
import io.loom.cache.stats.CacheStats;
import io.loom.cache.testing.RedisTestNamespace;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code @Embedded} components: nested records in outputs and in create/update records, dotted
 * paths in filters and sorts (checked at build), and invalidation of what a change of an embedded
 * property moves.
 */
class EmbeddedComponentTest {

    public record AddressView(String street, String city) {
    }

    public record CustomerView(Long id, String name, AddressView address, long version) {
    }

    public record CustomerCreate(String name, AddressView address) {
    }

    /** Null components leave a property as it is, also inside the address. */
    public record AddressChange(String street, String city) {
    }

    public record CustomerUpdate(String name, AddressChange address) {
    }

    /** A record holding the embeddable class itself. */
    public record CustomerWithAddress(Long id, String name, Address address) {
    }

    @Cached(entity = "Customer")
    public interface CustomerQueries {
        @CacheQuery(scope = CacheQuery.Scope.SINGLE)
        Optional<CustomerWithAddress> byName(String name);
    }

    private static final RedisTestNamespace NS = RedisTestNamespace.create(EmbeddedComponentTest.class);
    private static UowNode node;
    private static Repository<CustomerView, CustomerCreate, CustomerUpdate, Long> customers;

    @BeforeAll
    static void start() {
        node = UowNode.on(TestDatabase.Kind.H2, "unused", NS.namespace());
        EntityManagerFactory emf = node.emf();
        customers = LoomHibernate.wrap(emf, JpaEntityRepository.builder(emf, Customer.class, CustomerView.class,
                CustomerCreate.class, CustomerUpdate.class, Long.class).build());
    }

    @AfterAll
    static void stop() {
        try {
            node.close();
        } finally {
            NS.close();
        }
    }

    private static List<String> names(List<CustomerView> views) {
        return views.stream().map(CustomerView::name).toList();
    }

    @Test
    void createReadAndUpdate_throughNestedRecords() {
        CustomerView created = customers.create(new CustomerCreate("ann", new AddressView("1 Rue", "Lyon")));
        assertEquals(new AddressView("1 Rue", "Lyon"), created.address());
        CacheStats before = node.stats("customer");
        assertEquals(created, customers.getById(created.id()).orElseThrow());
        assertEquals(created, customers.getById(created.id()).orElseThrow());
        assertEquals(1, node.stats("customer").minus(before).hits(), "cached");

        CustomerView updated = customers.update(created.id(), new CustomerUpdate(null, new AddressChange(null, "Paris")))
                .orElseThrow();
        assertEquals(new AddressView("1 Rue", "Paris"), updated.address(), "the street is left as it was");
        assertEquals(created.version() + 1, updated.version());
        assertEquals(updated, customers.getById(created.id()).orElseThrow(), "the cached lookup was invalidated");
    }

    @Test
    void filterAndSortByDottedPath_stayFreshWhenAnEmbeddedPropertyChanges() {
        CustomerView bob = customers.create(new CustomerCreate("bob", new AddressView("2 Way", "Oslo")));
        CustomerView cid = customers.create(new CustomerCreate("cid", new AddressView("3 Way", "Bergen")));
        FilterParams inOslo = new FilterParams(Map.of("address.city", "Oslo"));
        QuerySpec byCity = new QuerySpec(List.of(new Filter("address.city", FilterOp.IN, List.of("Oslo", "Bergen"))),
                List.of(new Sort("address.city", Direction.ASC)), new PageParams(1, 10));
        assertEquals(List.of("bob"), names(customers.listPaginated(new PageParams(1, 10), inOslo, "default").items()));
        assertEquals(List.of("cid", "bob"), names(customers.listWithQuery(byCity).items()));
        CacheStats before = node.stats("customer");
        customers.listPaginated(new PageParams(1, 10), inOslo, "default");
        customers.listWithQuery(byCity);
        assertEquals(2, node.stats("customer").minus(before).hits(), "both lists cached");

        customers.update(cid.id(), new CustomerUpdate(null, new AddressChange(null, "Oslo")));
        assertEquals(List.of("bob", "cid"), names(customers.listPaginated(new PageParams(1, 10), inOslo, "default")
                .items()), "the equality-filtered list gains the row");
        customers.update(bob.id(), new CustomerUpdate(null, new AddressChange(null, "Bergen")));
        assertEquals(List.of("bob", "cid"), names(customers.listWithQuery(byCity).items()), "the sorted list reorders");
    }

    @Test
    void outputHoldingTheEmbeddableClass_getsADetachedCopy() {
        EntityManagerFactory emf = node.emf();
        Repository<CustomerWithAddress, CustomerCreate, CustomerUpdate, Long> raw = JpaEntityRepository.builder(emf,
                Customer.class, CustomerWithAddress.class, CustomerCreate.class, CustomerUpdate.class, Long.class).build();
        Long id = customers.create(new CustomerCreate("eve", new AddressView("5 Lane", "Turin"))).id();
        io.loom.cache.hibernate.repository.JpaTransactions.inTransaction(emf, em -> {
            Address address = raw.getById(id).orElseThrow().address();
            assertEquals("Turin", address.getCity());
            address.setCity("changed by the caller");
            return null;
        });
        assertEquals("Turin", customers.getById(id).orElseThrow().address().city(), "the entity was not touched");
    }

    @Test
    void build_rejectsANestedRecordThatDoesNotFitTheEmbeddable() {
        record BadAddress(String town) {
        }
        record BadView(Long id, BadAddress address) {
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JpaEntityRepository.builder(
                node.emf(), Customer.class, BadView.class, CustomerCreate.class, CustomerUpdate.class, Long.class).build());
        assertTrue(e.getMessage().contains("address.town") && e.getMessage().contains("city"), e.getMessage());
        record BadChange(Integer city) {
        }
        record BadUpdate(BadChange address) {
        }
        e = assertThrows(IllegalArgumentException.class, () -> JpaEntityRepository.builder(node.emf(), Customer.class,
                CustomerView.class, CustomerCreate.class, BadUpdate.class, Long.class).build());
        assertTrue(e.getMessage().contains("address.city"), e.getMessage());
    }

    @Test
    void filterOnTheComponentItself_namesItsProperties() {
        InvalidQueryException e = assertThrows(InvalidQueryException.class, () -> customers.listWithQuery(
                new QuerySpec(List.of(new Filter("address", FilterOp.EQ, "x")), List.of(), new PageParams(1, 10))));
        assertTrue(e.getMessage().contains("address.city"), e.getMessage());
        assertThrows(InvalidQueryException.class, () -> customers.listWithQuery(
                new QuerySpec(List.of(), List.of(new Sort("address.zip", Direction.ASC)), new PageParams(1, 10))));
    }

    @Test
    void wrapDeclared_acceptsARecordHoldingTheEmbeddableClass() {
        customers.create(new CustomerCreate("dee", new AddressView("4 Road", "Rome")));
        EntityManagerFactory emf = node.emf();
        CustomerQueries target = name -> {
            var em = emf.createEntityManager();
            try {
                return em.createQuery("select c from Customer c where c.name = :n", Customer.class)
                        .setParameter("n", name).getResultStream().findFirst()
                        .map(c -> new CustomerWithAddress(c.getId(), c.getName(), c.getAddress()));
            } finally {
                em.close();
            }
        };
        CustomerQueries queries = node.cache().wrapDeclared(CustomerQueries.class, target);
        assertEquals("Rome", queries.byName("dee").orElseThrow().address().getCity());
        CacheStats before = node.stats("customer");
        assertEquals("4 Road", queries.byName("dee").orElseThrow().address().getStreet());
        assertEquals(1, node.stats("customer").minus(before).hits());
    }
}
