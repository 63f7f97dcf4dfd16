package io.loom.cache.spring.actuate;

import io.loom.cache.hibernate.LoomHibernate;
import io.loom.cache.hibernate.OutboxStatus;
import io.loom.cache.spring.example.ExampleApplication;
import io.loom.cache.spring.example.ProductService;
import io.loom.cache.testing.RedisTestNamespace;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the durable outbox on, the health details count its rows, read through Spring's
 * EntityManagerFactory proxy: a commit's row stays until the next sweep (an hour away here).
 */
class HealthOutboxTest {

    static RedisTestNamespace namespace;
    static ConfigurableApplicationContext app;

    @BeforeAll
    static void start() {
        namespace = RedisTestNamespace.create(HealthOutboxTest.class);
        app = new SpringApplicationBuilder(ExampleApplication.class).web(WebApplicationType.NONE).run(
                "--loom.cache.backends.default.type=redis",
                "--loom.cache.backends.default.serializer=msgpack",
                "--loom.cache.backends.default.address=" + RedisTestNamespace.ADDRESS,
                "--loom.cache.backends.default.namespace=" + namespace.namespace(),
                "--spring.jpa.properties.loom.hibernate.outbox=true",
                "--spring.jpa.properties.loom.hibernate.outbox.sweep-every=1h");
    }

    @AfterAll
    static void stop() {
        try {
            if (app != null) {
                app.close();
            }
        } finally {
            namespace.close();
        }
    }

    @Test
    void outboxOn_healthCountsItsRows_throughTheSpringProxy() {
        LoomCacheHealthIndicator health = app.getBean(LoomCacheHealthIndicator.class);
        OutboxStatus outbox = LoomHibernate.outbox(app.getBean(EntityManagerFactory.class)).orElseThrow();
        int before = outbox.rows();
        assertThat(health.health().getDetails()).containsEntry("outboxRows", before);

        app.getBean(ProductService.class).add("lamp", "outbox", 30);

        assertThat(outbox.rows()).isEqualTo(before + 1);
        assertThat(health.health().getDetails()).containsEntry("outboxRows", before + 1);
    }
}
