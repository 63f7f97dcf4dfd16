package io.loom.cache.hibernate.demo;

import io.loom.cache.LoomCache;
import io.loom.cache.hibernate.LoomHibernate;
import io.loom.cache.hibernate.demo.ProductViews.ProductCreate;
import io.loom.cache.hibernate.demo.ProductViews.ProductUpdate;
import io.loom.cache.hibernate.demo.ProductViews.ProductView;
import io.loom.cache.hibernate.repository.JpaEntityRepository;
import io.loom.cache.invalidation.MutationEvent;
import io.loom.cache.repository.ListResult;
import io.loom.cache.repository.QuerySpec;
import io.loom.cache.repository.Repository;
import io.loom.cache.stats.CacheStats;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.Session;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.hibernate.tool.schema.Action;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A runnable tour of Loom Cache on an embedded H2 database: a miss then a hit, a write through a
 * plain EntityManager that the next read already sees, a JDBC write reported as a
 * {@link MutationEvent}, a cached list query invalidated by an
 * insert, and the hit/miss counts and timings. The cache is in process by default;
 * {@code --redis redis://host:port} puts it on Redis.
 *
 * <pre>
 * mvn -B -q install -DskipTests &amp;&amp; mvn -B -q -pl hibernate-integration exec:java
 * mvn -B -q -pl hibernate-integration exec:java -Dexec.args="--redis redis://127.0.0.1:6379"
 * </pre>
 *
 * <p>The persistence unit is built in code (no {@code persistence.xml} ships in the library jar).
 */
public final class LoomDemo {

    private static final int PRODUCTS = 200;
    private static final List<String> CATEGORIES = List.of("tools", "garden", "kitchen", "toys");
    private static final int TIMED_READS = 2_000;

    private LoomDemo() {
    }

    public static void main(String[] args) {
        quietLogging();
        String redis = redisAddress(args);
        if (redis == null && args.length > 0) {
            System.out.println("usage: LoomDemo [--redis redis://host:port]");
            return;
        }
        EntityManagerFactory emf = persistenceUnit(redis);
        try {
            run(emf, redis);
        } finally {
            emf.close();
        }
    }

    private static void run(EntityManagerFactory emf, String redis) {
        LoomCache cache = LoomHibernate.cache(emf);
        Repository<ProductView, ProductCreate, ProductUpdate, Long> products = LoomHibernate.wrap(emf,
                JpaEntityRepository.builder(emf, Product.class, ProductView.class, ProductCreate.class,
                        ProductUpdate.class, Long.class).build());

        System.out.printf("Loom Cache demo: H2 in memory, cache on %s%n%n",
                redis == null ? "the in-process memory backend (--redis redis://host:port for Redis)" : redis);
        List<Long> ids = seed(emf);
        System.out.printf("Created table demo_product with %d rows.%n%n", ids.size());
        long id = ids.get(0);

        System.out.println("1. Read one product twice");
        read(cache, "getById(" + id + ")", () -> products.getById(id));
        read(cache, "getById(" + id + ")", () -> products.getById(id));

        System.out.println("\n2. Change its price through a plain EntityManager (no repository involved)");
        emf.runInTransaction(em -> em.find(Product.class, id).setPrice(new BigDecimal("24.50")));
        System.out.println("   committed: price = 24.50");
        read(cache, "getById(" + id + ")", () -> products.getById(id));
        read(cache, "getById(" + id + ")", () -> products.getById(id));

        System.out.println("\n3. Change it with plain JDBC (Hibernate never sees it) and report the write");
        emf.runInTransaction(em -> em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE demo_product SET price = ? WHERE id = ?")) {
                update.setBigDecimal(1, new BigDecimal("19.90"));
                update.setLong(2, id);
                update.executeUpdate();
            }
        }));
        System.out.println("   committed: price = 19.90 (JDBC); cache.resolver().bumpFromEvents(update of price)");
        cache.resolver().bumpFromEvents(List.of(MutationEvent.update("Product", id, Set.of("price"),
                Map.of("price", new BigDecimal("24.50")), Map.of("price", new BigDecimal("19.90")))));
        read(cache, "getById(" + id + ")", () -> products.getById(id));

        System.out.println("\n4. A list query");
        QuerySpec cheapTools = QuerySpec.where("category").eq("tools").and("price").lt(new BigDecimal("10"))
                .orderBy("price").page(1, 3);
        System.out.println("   " + cheapTools.canonical());
        read(cache, "listWithQuery", () -> summary(products.listWithQuery(cheapTools)));
        read(cache, "listWithQuery", () -> summary(products.listWithQuery(cheapTools)));
        emf.runInTransaction(em -> em.persist(new Product("Bargain hammer", "tools", new BigDecimal("0.49"))));
        System.out.println("   committed: insert of \"Bargain hammer\" at 0.49");
        read(cache, "listWithQuery", () -> summary(products.listWithQuery(cheapTools)));

        System.out.printf("%n5. %,d reads of random products%n", TIMED_READS);
        CacheStats before = cache.stats("product");
        long start = System.nanoTime();
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < TIMED_READS; i++) {
            products.getById(ids.get(random.nextInt(ids.size())));
        }
        long elapsed = System.nanoTime() - start;
        CacheStats step = cache.stats("product").minus(before);
        System.out.printf("   %d hits, %d misses, %.1f us per read on average%n", step.hits(), step.misses(),
                elapsed / 1_000.0 / TIMED_READS);
        timedRepeat("   a cached read (hit)", () -> products.getById(id));

        CacheStats total = cache.stats("product");
        System.out.printf("%nTotals for product: %d hits (%d served from the near cache), %d misses (%d of them "
                        + "stale), %d database loads (%.2f ms on average), %d entries stored, %d committed "
                        + "transactions invalidated%n",
                total.hits(), total.nearHits(), total.misses(), total.staleMisses(), total.loads(),
                total.loads() == 0 ? 0.0 : total.loadNanos() / 1e6 / total.loads(), total.stores(),
                cache.stats().bumps());
    }

    private static List<Long> seed(EntityManagerFactory emf) {
        List<Product> created = new ArrayList<>();
        emf.runInTransaction(em -> {
            for (int i = 1; i <= PRODUCTS; i++) {
                Product product = new Product(String.format("Product %03d", i), CATEGORIES.get(i % CATEGORIES.size()),
                        new BigDecimal(i % 50 + ".99"));
                em.persist(product);
                created.add(product);
            }
        });
        return created.stream().map(Product::getId).toList();
    }

    /** Runs one read and prints what it returned, whether it hit, and how long it took. */
    private static void read(LoomCache cache, String label, Supplier<Object> read) {
        CacheStats before = cache.stats("product");
        long start = System.nanoTime();
        Object value = read.get();
        long micros = (System.nanoTime() - start) / 1_000;
        CacheStats step = cache.stats("product").minus(before);
        String outcome = step.nearHits() > 0 ? "HIT (near cache)" : step.hits() > 0 ? "HIT"
                : step.staleMisses() > 0 ? "MISS (stale entry)" : "MISS";
        System.out.printf(Locale.ROOT, "   %-18s %-20s %7d us  %s%n", label, outcome, micros, value);
    }

    private static void timedRepeat(String label, Runnable read) {
        int rounds = 1_000;
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            read.run();
        }
        System.out.printf("%s: %.1f us%n", label, (System.nanoTime() - start) / 1_000.0 / rounds);
    }

    private static String summary(ListResult<ProductView> result) {
        return result.items().stream().map(p -> p.name() + " " + p.price()).toList().toString();
    }

    private static EntityManagerFactory persistenceUnit(String redis) {
        HibernatePersistenceConfiguration unit = new HibernatePersistenceConfiguration("loom-demo")
                .managedClasses(Product.class)
                .jdbcUrl("jdbc:h2:mem:loom_demo_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1")
                .jdbcCredentials("sa", "")
                .schemaToolingAction(Action.CREATE_DROP)
                .showSql(false, false, false);
        unit.property("hibernate.connection.provider_class", "org.hibernate.hikaricp.internal.HikariCPConnectionProvider");
        unit.property("hibernate.hikari.maximumPoolSize", "4");
        if (redis != null) {
            unit.property("loom.cache.backends.default.type", "redis");
            unit.property("loom.cache.backends.default.serializer", "msgpack");
            unit.property("loom.cache.backends.default.address", redis);
            // A namespace per run: the demo's database is new each time, its cache entries must be too.
            unit.property("loom.cache.backends.default.namespace", "loom-demo:" + UUID.randomUUID().toString().substring(0, 8));
            unit.property("loom.cache.default-ttl", "120");
            unit.property("loom.cache.default-list-ttl", "120");
        }
        return unit.createEntityManagerFactory();
    }

    private static String redisAddress(String[] args) {
        if (args.length == 2 && args[0].equals("--redis")) {
            return args[1];
        }
        if (args.length == 1 && args[0].startsWith("--redis=")) {
            return args[0].substring("--redis=".length());
        }
        return null;
    }

    /** Warnings only: Hibernate (through jboss-logging), HikariCP and Redisson all log through SLF4J. */
    private static void quietLogging() {
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setIfAbsent("org.jboss.logging.provider", "slf4j");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
