package io.loom.cache.spring.actuate;

import io.loom.cache.spring.example.CatalogRepository;
import io.loom.cache.spring.example.ExampleApplication;
import io.loom.cache.spring.example.ProductService;
import io.loom.cache.spring.example.ProductView;
import io.loom.cache.testing.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** With its Redis gone, the application keeps reading from the database and Loom's health says degraded, still UP. */
class HealthUnderRedisFailureTest {

    static RedisServerProcess redis;
    static ConfigurableApplicationContext app;

    @BeforeAll
    static void start() {
        redis = RedisServerProcess.start();
        app = new SpringApplicationBuilder(ExampleApplication.class).web(WebApplicationType.NONE).run(
                "--loom.cache.backends.default.type=redis",
                "--loom.cache.backends.default.serializer=msgpack",
                "--loom.cache.backends.default.address=" + redis.address(),
                "--loom.cache.backends.default.namespace=health",
                "--loom.cache.backends.default.retry-attempts=0",
                "--spring.jpa.properties.loom.hibernate.outbox=false");
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void redisDown_readsFallBack_healthStaysUp_withTheCircuitOpen() {
        LoomCacheHealthIndicator health = app.getBean(LoomCacheHealthIndicator.class);
        long id = app.getBean(ProductService.class).add("fan", "health", 25).getId();
        CatalogRepository catalog = app.getBean(CatalogRepository.class);
        assertThat(catalog.findById(id)).map(ProductView::price).hasValue(25L);
        assertThat(health.health().getDetails()).containsEntry("backend", "available");

        redis.stop();
        assertThat(catalog.findById(id)).map(ProductView::price).as("served by the database").hasValue(25L);
        Health degraded = health.health();
        assertThat(degraded.getStatus()).isEqualTo(Status.UP);
        assertThat(degraded.getDetails()).containsEntry("backend", "circuit-open").containsEntry("degraded", true);
        assertThat((Long) degraded.getDetails().get("fallbacks")).isPositive();
    }
}
