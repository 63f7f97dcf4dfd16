package io.loom.cache.spring.boot;

import io.loom.cache.LoomCache;
import io.loom.cache.spring.example.ExampleApplication;
import io.loom.cache.spring.example.ProductCatalog;
import io.loom.cache.spring.example.ProductService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(classes = ExampleApplication.class, properties = "loom.cache.enabled=false")
class LoomCacheDisabledTest {

    @Autowired
    LoomCache cache;
    @Autowired
    ProductCatalog catalog;
    @Autowired
    ProductService service;

    @Test
    void disabled_wrapIsPassThrough_andReadsAreNeverCached() {
        assertThat(cache.config().enabled()).isFalse();
        assertThat(catalog.cached()).isSameAs(catalog.loom());
        long id = service.add("lamp", "disabled", 10).getId();
        catalog.cached().getById(id);
        catalog.cached().getById(id);
        assertThat(cache.stats("product").hits()).isZero();
        assertThat(cache.stats("product").misses()).isZero();
        assertThat(cache.stats("product").stores()).isZero();
    }
}
