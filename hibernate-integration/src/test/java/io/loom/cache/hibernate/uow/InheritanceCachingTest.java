package io.loom.cache.hibernate.uow;

import io.loom.cache.hibernate.LoomHibernate;
import io.loom.cache.hibernate.model.TestDatabase;
import io.loom.cache.hibernate.repository.JpaEntityRepository;
import io.loom.cache.hibernate.uow.Hierarchies.Account;
import io.loom.cache.hibernate.uow.Hierarchies.Car;
import io.loom.cache.hibernate.uow.Hierarchies.CheckingAccount;
import io.loom.cache.hibernate.uow.Hierarchies.DigitalProduct;
import io.loom.cache.hibernate.uow.Hierarchies.Named;
import io.loom.cache.hibernate.uow.Hierarchies.PhysicalProduct;
import io.loom.cache.hibernate.uow.Hierarchies.Product;
import io.loom.cache.hibernate.uow.Hierarchies.SavingsAccount;
import io.loom.cache.hibernate.uow.Hierarchies.Truck;
import io.loom.cache.hibernate.uow.Hierarchies.Vehicle;
import io.loom.cache.hibernate.uow.UowViews.NamedCreate;
import io.loom.cache.hibernate.uow.UowViews.NamedUpdate;
import io.loom.cache.hibernate.uow.UowViews.NamedView;
import io.loom.cache.invalidation.EntityNames;
import io.loom.cache.stats.CacheStats;
import jakarta.persistence.EntityManagerFactory;
import io.loom.cache.repository.Direction;
import io.loom.cache.repository.PageParams;
import io.loom.cache.repository.QuerySpec;
import io.loom.cache.repository.Repository;
import io.loom.cache.repository.Sort;
import io.loom.cache.testing.RedisTestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Repositories over an abstract inheritance root and over a subclass cache, for SINGLE_TABLE,
 * JOINED and TABLE_PER_CLASS, and a write to any subclass invalidates exactly the root's lookups
 * and lists it changes.
 */
@org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
class InheritanceCachingTest {

    private final RedisTestNamespace ns = RedisTestNamespace.create(getClass());
    private UowNode node;

    /** The database server; subclasses run the same cases on PostgreSQL and MariaDB. */
    TestDatabase.Kind server() {
        return TestDatabase.Kind.H2;
    }

    /** One hierarchy: its root and two subclasses, built from (id, name). */
    record Hierarchy(String strategy, Class<? extends Named> root, Class<? extends Named> first,
                     BiFunction<Long, String, Named> newFirst, Class<? extends Named> second,
                     BiFunction<Long, String, Named> newSecond) {
        @Override
        public String toString() {
            return strategy;
        }
    }

    static Stream<Arguments> hierarchies() {
        return Stream.of(
                Arguments.of(new Hierarchy("SINGLE_TABLE", Product.class,
                        DigitalProduct.class, (id, name) -> new DigitalProduct(id, name, "u"),
                        PhysicalProduct.class, (id, name) -> new PhysicalProduct(id, name, 5))),
                Arguments.of(new Hierarchy("JOINED", Vehicle.class,
                        Car.class, (id, name) -> new Car(id, name, 4),
                        Truck.class, (id, name) -> new Truck(id, name, 9))),
                Arguments.of(new Hierarchy("TABLE_PER_CLASS", Account.class,
                        SavingsAccount.class, (id, name) -> new SavingsAccount(id, name, 2),
                        CheckingAccount.class, (id, name) -> new CheckingAccount(id, name, 100))));
    }

    @BeforeAll
    void start() {
        node = UowNode.on(server(), "loom_inheritance", ns.namespace());
    }

    @AfterAll
    void stop() {
        try {
            node.close();
        } finally {
            ns.close();
        }
    }

    private static final QuerySpec BY_NAME = new QuerySpec(List.of(), List.of(new Sort("name", Direction.ASC)),
            new PageParams(1, 50));

    private void rename(Class<? extends Named> type, long id, String name) {
        node.write(em -> {
            em.find(type, id).setName(name);
            return null;
        });
    }

    private <T> T counting(String entity, Supplier<T> read, long hits, long stores, String what) {
        CacheStats before = node.stats(entity);
        T value = read.get();
        CacheStats step = node.stats(entity).minus(before);
        assertEquals(hits, step.hits(), what + ": hits " + step);
        assertEquals(stores, step.stores(), what + ": stores " + step);
        return value;
    }

    /** The names of the rows this test case wrote (ids base*10 + 0..9), in list order. */
    private static List<String> names(List<NamedView> items, long base) {
        return items.stream().filter(v -> v.id() / 10 == base).map(NamedView::name).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hierarchies")
    void rootRepository_cachesAndSubclassWritesInvalidateExactlyWhatTheyChange(Hierarchy h) {
        long base = h.strategy().hashCode() & 0xffffL;
        long a = base * 10 + 1;
        long b = base * 10 + 2;
        node.write(em -> {
            em.persist(h.newFirst().apply(a, "alpha-" + a));
            em.persist(h.newSecond().apply(b, "beta-" + b));
            return null;
        });
        Repository<NamedView, NamedCreate, NamedUpdate, Long> root = node.named(h.root());
        String entity = EntityNames.of(h.root());

        counting(entity, () -> root.getById(a), 0, 1, "first lookup is stored");
        counting(entity, () -> root.getById(b), 0, 1, "first lookup is stored");
        counting(entity, () -> root.listWithQuery(BY_NAME), 0, 1, "first list is stored");
        counting(entity, () -> root.getById(a), 1, 0, "second lookup hits");
        counting(entity, () -> root.listWithQuery(BY_NAME), 1, 0, "second list hits");

        rename(h.second(), b, "beta2-" + b);
        NamedView changed = counting(entity, () -> root.getById(b).orElseThrow(), 0, 1, "the changed row misses");
        assertEquals("beta2-" + b, changed.name());
        counting(entity, () -> root.getById(a), 1, 0, "an unchanged row still hits");
        List<NamedView> items = counting(entity, () -> root.listWithQuery(BY_NAME).items(), 0, 1,
                "the list holding the changed row misses");
        assertEquals(List.of("alpha-" + a, "beta2-" + b), names(items, base));

        long c = base * 10 + 3;
        node.write(em -> {
            em.persist(h.newFirst().apply(c, "gamma-" + c));
            return null;
        });
        assertEquals(3, names(root.listWithQuery(BY_NAME).items(), base).size(),
                "an insert of a subclass reaches the root's lists");
        node.write(em -> {
            em.remove(em.find(h.first(), c));
            return null;
        });
        assertEquals(2, names(root.listWithQuery(BY_NAME).items(), base).size(),
                "a delete of a subclass reaches the root's lists");
        assertEquals(java.util.Optional.empty(), root.getById(c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hierarchies")
    void subclassRepository_cachesAndOnlyItsOwnRowsInvalidateIt(Hierarchy h) {
        long base = (h.strategy().hashCode() & 0xffffL) + 7;
        long a = base * 10 + 1;
        long b = base * 10 + 2;
        node.write(em -> {
            em.persist(h.newFirst().apply(a, "alpha-" + a));
            em.persist(h.newSecond().apply(b, "beta-" + b));
            return null;
        });
        Repository<NamedView, NamedCreate, NamedUpdate, Long> second = node.named(h.second());
        String entity = EntityNames.of(h.second());

        counting(entity, () -> second.getById(b), 0, 1, "first lookup is stored");
        counting(entity, () -> second.getById(b), 1, 0, "second lookup hits");
        counting(entity, () -> second.listWithQuery(BY_NAME), 0, 1, "first list is stored");

        rename(h.first(), a, "alpha2-" + a);
        counting(entity, () -> second.getById(b), 1, 0, "a write of the other subclass leaves it");

        rename(h.second(), b, "beta2-" + b);
        assertEquals("beta2-" + b, counting(entity, () -> second.getById(b).orElseThrow(), 0, 1,
                "its own row's write invalidates it").name());
        assertEquals(List.of("beta2-" + b), names(counting(entity, () -> second.listWithQuery(BY_NAME).items(), 0, 1,
                "its list misses"), base));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hierarchies")
    void explicitInvalidation_reachesTheRootAndTheSubclasses(Hierarchy h) {
        long base = (h.strategy().hashCode() & 0xffffL) + 13;
        long a = base * 10 + 1;
        node.write(em -> {
            em.persist(h.newFirst().apply(a, "alpha-" + a));
            return null;
        });
        Repository<NamedView, NamedCreate, NamedUpdate, Long> root = node.named(h.root());
        Repository<NamedView, NamedCreate, NamedUpdate, Long> first = node.named(h.first());
        String rootName = EntityNames.of(h.root());
        String firstName = EntityNames.of(h.first());
        root.getById(a);
        first.getById(a);
        counting(rootName, () -> root.getById(a), 1, 0, "cached");

        io.loom.cache.hibernate.LoomHibernate.invalidate(node.emf(), h.first(), a);
        counting(rootName, () -> root.getById(a), 0, 1, "a subclass row invalidation reaches the root's lookup");
        counting(firstName, () -> first.getById(a), 0, 1, "and the subclass's");

        io.loom.cache.hibernate.LoomHibernate.invalidate(node.emf(), h.root());
        counting(firstName, () -> first.getById(a), 0, 1, "a root invalidation reaches the subclass repository");
        counting(rootName, () -> root.getById(a), 0, 1, "and the root's");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hierarchies")
    void bulkUpdateOfASubclass_reachesTheRootRepository(Hierarchy h) {
        long base = (h.strategy().hashCode() & 0xffffL) + 21;
        long a = base * 10 + 1;
        node.write(em -> {
            em.persist(h.newSecond().apply(a, "bulk-" + a));
            return null;
        });
        Repository<NamedView, NamedCreate, NamedUpdate, Long> root = node.named(h.root());
        root.getById(a);
        counting(EntityNames.of(h.root()), () -> root.getById(a), 1, 0, "cached");
        String entityName = node.emf().getMetamodel().entity(h.second()).getName();
        node.write(em -> em.createQuery("update " + entityName + " e set e.name = :n where e.id = :id")
                .setParameter("n", "bulk2-" + a).setParameter("id", a).executeUpdate());
        assertEquals("bulk2-" + a, root.getById(a).orElseThrow().name());
    }

    public record LabelledView(Long id, String name, Set<String> labels) {
    }

    @org.junit.jupiter.api.Test
    void rootRepositoryProfile_collectionOfASubclassRowChanged_missesAndShowsTheChange() {
        node.write(em -> {
            PhysicalProduct p = new PhysicalProduct(90_001L, "lamp", 3);
            p.getLabels().add("new");
            em.persist(p);
            return null;
        });
        EntityManagerFactory emf = node.emf();
        Repository<LabelledView, NamedCreate, NamedUpdate, Long> root = LoomHibernate.wrap(emf,
                JpaEntityRepository.builder(emf, Product.class, LabelledView.class, NamedCreate.class,
                        NamedUpdate.class, Long.class).profile("with_labels", "labels").build());
        assertEquals(Set.of("new"), root.getById(90_001L, "with_labels").orElseThrow().labels());
        counting("product", () -> root.getById(90_001L, "with_labels"), 1, 0, "cached with its collection");

        node.write(em -> em.find(PhysicalProduct.class, 90_001L).getLabels().add("sale"));
        assertEquals(Set.of("new", "sale"), root.getById(90_001L, "with_labels").orElseThrow().labels());
    }
}
