package io.loom.cache.spring.example;

import io.loom.cache.LoomCache;
import io.loom.cache.stats.CacheStats;
import io.loom.cache.testing.RedisTestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.domain.PageRequest;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two instances of the example shop on one PostgreSQL schema and one Redis namespace: what one
 * node commits, the other reads at once; what one node rolls back, nobody sees. Node A reuses a
 * RedissonClient bean of its context (its own configured address is unreachable, so every hit it
 * gets proves the bean was used).
 */
class RedisTwoNodesTest {

    static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";
    static final RedisTestNamespace NS = RedisTestNamespace.create(RedisTwoNodesTest.class);
    static final String SCHEMA = "spring_two_nodes_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);

    static ConfigurableApplicationContext nodeA;
    static ConfigurableApplicationContext nodeB;

    /** The application's own RedissonClient (as Redisson's starter would define it). */
    @Configuration(proxyBeanMethods = false)
    static class ApplicationRedisson {
        @Bean(destroyMethod = "shutdown")
        RedissonClient redissonClient() {
            return RedisTestNamespace.newClient();
        }
    }

    @BeforeAll
    static void start() throws SQLException {
        execute("CREATE SCHEMA " + SCHEMA);
        nodeA = node("create", "redis://127.0.0.1:1", ExampleApplication.class, ApplicationRedisson.class);
        nodeB = node("none", RedisTestNamespace.ADDRESS, ExampleApplication.class);
    }

    private static ConfigurableApplicationContext node(String ddl, String address, Class<?>... sources) {
        return new SpringApplicationBuilder(sources).web(WebApplicationType.NONE).run( // arguments: above application.properties
                "--spring.datasource.url=" + PG + "?currentSchema=" + SCHEMA,
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=",
                "--spring.jpa.hibernate.ddl-auto=" + ddl,
                "--spring.jpa.properties.hibernate.default_schema=" + SCHEMA,
                "--loom.cache.backends.default.type=redis",
                "--loom.cache.backends.default.serializer=msgpack",
                "--loom.cache.backends.default.address=" + address,
                "--loom.cache.backends.default.namespace=" + NS.namespace());
    }

    @AfterAll
    static void stop() throws SQLException {
        if (nodeB != null) {
            nodeB.close();
        }
        if (nodeA != null) {
            nodeA.close();
        }
        NS.close();
        execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(PG, "postgres", ""); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static CacheStats stats(ConfigurableApplicationContext node) {
        return node.getBean(LoomCache.class).stats("product");
    }

    @Test
    void commitOnOneNode_isSeenByTheOther_rollbackIsNot_andHitsComeFromRedis() {
        ProductService serviceA = nodeA.getBean(ProductService.class);
        ProductService serviceB = nodeB.getBean(ProductService.class);
        CatalogRepository catalogA = nodeA.getBean(CatalogRepository.class);
        CatalogRepository catalogB = nodeB.getBean(CatalogRepository.class);
        ProductRepository productsA = nodeA.getBean(ProductRepository.class);
        ProductRepository productsB = nodeB.getBean(ProductRepository.class);

        long id = serviceA.add("bench", "garden", 120).getId();
        serviceA.add("hose", "garden", 15);
        assertThat(catalogA.findById(id)).map(ProductView::price).hasValue(120L); // A loads and stores in Redis
        stats(nodeA); // statistics wait for A's store, answered after its read returned
        CacheStats beforeB = stats(nodeB);
        assertThat(catalogB.findById(id)).map(ProductView::price).hasValue(120L);
        assertThat(stats(nodeB).minus(beforeB).hits()).as("B is served what A stored").isEqualTo(1);
        List<ProductView> cheap = productsA.findByCategoryAndPriceLessThanOrderByPriceDesc("garden", 200, PageRequest.of(0, 5));
        CacheStats beforeA = stats(nodeA);
        assertThat(productsA.findByCategoryAndPriceLessThanOrderByPriceDesc("garden", 200, PageRequest.of(0, 5)))
                .isEqualTo(cheap);
        assertThat(stats(nodeA).minus(beforeA).hits()).as("A hits Redis through the reused client").isEqualTo(1);
        assertThat(NS.cleanup()).as("entries under the namespace").isPositive();

        assertThat(catalogA.findById(id)).map(ProductView::price).hasValue(120L); // stored again
        serviceB.reprice(id, 99);
        assertThat(catalogA.findById(id)).map(ProductView::price).as("A after B committed").hasValue(99L);
        assertThat(productsA.findByCategoryAndPriceLessThanOrderByPriceDesc("garden", 200, PageRequest.of(0, 5)))
                .extracting(ProductView::price).containsExactly(99L, 15L);

        assertThat(catalogB.findById(id)).map(ProductView::price).hasValue(99L);
        assertThatThrownBy(() -> serviceA.repriceThenFail(id, 1)).isInstanceOf(IllegalStateException.class);
        beforeB = stats(nodeB);
        assertThat(catalogB.findById(id)).map(ProductView::price).hasValue(99L);
        assertThat(stats(nodeB).minus(beforeB).hits()).as("A's rollback invalidated nothing").isEqualTo(1);
        assertThat(productsB.findViewById(id)).map(ProductView::price).hasValue(99L);
    }
}
