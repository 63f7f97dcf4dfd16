package io.loom.cache.spring.cache;

import io.loom.cache.LoomCache;
import io.loom.cache.spring.example.ExampleApplication;
import io.loom.cache.spring.example.ProductService;
import io.loom.cache.spring.example.ProductView;
import io.loom.cache.spring.example.TopProducts;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cache.CacheManager;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@SpringBootTest(classes = ExampleApplication.class)
class LoomCacheManagerTest {

    @Autowired
    TopProducts top;
    @Autowired
    ProductService service;
    @Autowired
    CacheManager cacheManager;
    @Autowired
    LoomCache cache;

    private String category() {
        return "top-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void cacheable_isServedByLoom_andACommittedWriteToItsEntityInvalidatesIt_withoutCacheEvict() {
        assertThat(cacheManager).isInstanceOf(LoomCacheManager.class);
        String c = category();
        long lamp = service.add("lamp", c, 40).getId();
        service.add("vase", c, 70);
        int before = top.computations();
        List<ProductView> first = top.top(c, 2);
        assertThat(first).extracting(ProductView::name).containsExactly("vase", "lamp");
        assertThat(top.top(c, 2)).isEqualTo(first);
        assertThat(top.computations() - before).isEqualTo(1);
        assertThat(cache.stats("spring_cache_top_products").hits()).isPositive();

        service.reprice(lamp, 90); // a committed write of Product
        assertThat(top.top(c, 2)).extracting(ProductView::name).containsExactly("lamp", "vase");
        assertThat(top.computations() - before).isEqualTo(2);

        assertThatThrownBy(() -> service.repriceThenFail(lamp, 1)).isInstanceOf(IllegalStateException.class);
        top.top(c, 2);
        assertThat(top.computations() - before).as("a rollback invalidates nothing").isEqualTo(2);

        top.forget();
        top.top(c, 2);
        assertThat(top.computations() - before).as("@CacheEvict(allEntries) clears the cache").isEqualTo(3);
    }

    @Test
    void putWithoutSync_isNotStored() {
        String c = category();
        service.add("cup", c, 3);
        int before = top.computations();
        top.topUnsynced(c, 1);
        top.topUnsynced(c, 1);
        assertThat(top.computations() - before).isEqualTo(2);
    }

    @Test
    void aCacheWithoutEntities_isRejectedNamingIt() {
        assertThatThrownBy(() -> new LoomCacheManager(cache,
                Map.of("orphan", new LoomCacheManager.CacheSpec(List.of(), null)), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spring-caches.orphan.entities");
    }
}
