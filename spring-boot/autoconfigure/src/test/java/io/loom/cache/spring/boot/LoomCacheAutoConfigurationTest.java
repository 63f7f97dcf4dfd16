package io.loom.cache.spring.boot;

import io.loom.cache.LoomCache;
import io.loom.cache.config.CacheConfigException;
import io.loom.cache.hibernate.LoomHibernate;
import io.loom.cache.spring.example.ExampleApplication;
import io.loom.cache.spring.example.ProductCatalog;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@SpringBootTest(classes = ExampleApplication.class, properties = {
        "loom.cache.default-list-ttl=90", "loom.cache.ttl.Product=45s", "loom.cache.near-cache.max-entries=500"})
class LoomCacheAutoConfigurationTest {

    @Autowired
    LoomCache cache;
    @Autowired
    EntityManagerFactory emf;
    @Autowired
    ProductCatalog catalog;

    @Test
    void loomCacheBean_isThePersistenceUnitsCache() {
        assertThat(cache).isSameAs(LoomHibernate.cache(emf));
    }

    @Test
    void properties_fromTheEnvironment_reachTheCacheConfiguration() {
        assertThat(cache.config().ttlForSingle("Product")).isEqualTo(Duration.ofSeconds(45));
        assertThat(cache.config().ttlForSingle("Other")).isEqualTo(Duration.ofSeconds(300)); // application.properties
        assertThat(cache.config().ttlForList("Other")).isEqualTo(Duration.ofSeconds(90));
        assertThat(cache.config().enabled()).isTrue();
        assertThat(catalog.cached()).isNotSameAs(catalog.loom());
    }

    @Test
    void badSetting_failsStartupNamingTheKey() {
        SpringApplicationBuilder app = new SpringApplicationBuilder(ExampleApplication.class)
                .properties("loom.cache.near-cache.mode=sometimes");
        assertThatThrownBy(app::run).hasRootCauseInstanceOf(CacheConfigException.class)
                .rootCause().hasMessageContaining("near-cache.mode").hasMessageContaining("sometimes");
    }

    @Test
    void configurationMetadata_describesTheSettings() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("configuration processor output").isNotNull();
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(json).contains("\"loom.cache.default-ttl\"", "\"loom.cache.backends\"",
                    "\"loom.cache.near-cache.mode\"", "\"loom.cache.spring-caches\"", "TTL of single-entity entries");
        }
    }
}
