package io.loom.cache.spring.data;

import io.loom.cache.LoomCache;
import io.loom.cache.spring.example.CatalogRepository;
import io.loom.cache.spring.example.ExampleApplication;
import io.loom.cache.spring.example.Product;
import io.loom.cache.spring.example.ProductRepository;
import io.loom.cache.spring.example.ProductService;
import io.loom.cache.spring.example.ProductView;
import io.loom.cache.stats.CacheStats;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Slice;
import org.springframework.data.domain.Sort;

import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(classes = ExampleApplication.class)
class SpringDataCachingTest {

    @Autowired
    ProductRepository products;
    @Autowired
    CatalogRepository catalog;
    @Autowired
    ProductService service;
    @Autowired
    LoomCache cache;

    private static String category() {
        return "c" + UUID.randomUUID().toString().substring(0, 8);
    }

    private CacheStats stats() {
        return cache.stats("product");
    }

    /** Runs {@code read} twice and asserts the second call was one cache hit with the same result. */
    private <T> T cachedTwice(Supplier<T> read) {
        T first = read.get();
        CacheStats before = stats();
        T second = read.get();
        CacheStats step = stats().minus(before);
        assertThat(step.hits()).as("hits of the repeated call").isEqualTo(1);
        assertThat(step.misses()).as("misses of the repeated call").isZero();
        assertThat(second).isEqualTo(first);
        return second;
    }

    private void assertNotCached(Supplier<?> read) {
        CacheStats before = stats();
        read.get();
        read.get();
        CacheStats step = stats().minus(before);
        assertThat(step.hits() + step.misses()).as("cache reads").isZero();
    }

    @Test
    void derivedQuery_withPageable_isCached_andOnlyRelevantWritesInvalidateIt() {
        String c = category();
        long cheap = service.add("cheap", c, 10).getId();
        long mid = service.add("mid", c, 50).getId();
        service.add("dear", c, 500);
        Supplier<List<ProductView>> query =
                () -> products.findByCategoryAndPriceLessThanOrderByPriceDesc(c, 100, PageRequest.of(0, 10));
        assertThat(cachedTwice(query)).extracting(ProductView::id).containsExactly(mid, cheap);

        String other = category();
        long elsewhere = service.add("elsewhere", other, 20).getId();
        products.save(renamed(products.findById(cheap).orElseThrow(), "cheap")); // no change: nothing committed
        CacheStats before = stats();
        assertThat(query.get()).extracting(ProductView::id).containsExactly(mid, cheap);
        assertThat(stats().minus(before).hits()).as("an insert into another category keeps it").isEqualTo(1);

        service.reprice(elsewhere, 25); // price is filtered and sorted on: conservative miss
        service.reprice(cheap, 60);
        assertThat(query.get()).extracting(ProductView::price).containsExactly(60L, 50L);
    }

    private static Product renamed(Product product, String name) {
        product.setName(name);
        return product;
    }

    @Test
    void pageSliceOptionalBetween_returnSpringDataShapes_fromTheCache() {
        String c = category();
        for (int i = 0; i < 5; i++) {
            service.add("p" + i, c, 10 * i);
        }
        Page<ProductView> page = cachedTwice(() -> products.findByCategory(c, PageRequest.of(1, 2, Sort.by("price"))));
        assertThat(page.getContent()).extracting(ProductView::name).containsExactly("p2", "p3");
        assertThat(page.getTotalElements()).isEqualTo(5);
        assertThat(page.getTotalPages()).isEqualTo(3);
        assertThat(page.getPageable()).isEqualTo(PageRequest.of(1, 2, Sort.by("price")));

        Slice<ProductView> slice = cachedTwice(() -> products.findByCategoryOrderByNameAsc(c, PageRequest.of(2, 2)));
        assertThat(slice.getContent()).extracting(ProductView::name).containsExactly("p4");
        assertThat(slice.hasNext()).isFalse();
        assertThat(products.findByCategoryOrderByNameAsc(c, PageRequest.of(0, 2)).hasNext()).isTrue();

        assertThat(cachedTwice(() -> products.findByCategoryAndPriceBetween(c, 10, 30)))
                .extracting(ProductView::name).containsExactlyInAnyOrder("p1", "p2", "p3");
        assertThat(cachedTwice(() -> products.findByName("p3"))).map(ProductView::price).hasValue(30L);
        assertThat(cachedTwice(() -> products.findByName("absent-" + c))).isEmpty();
    }

    @Test
    void countAndExists_derived_areCached_andSeeInserts() {
        String c = category();
        service.add("a-" + c, c, 1);
        assertThat(cachedTwice(() -> products.countByCategory(c))).isEqualTo(1);
        assertThat(cachedTwice(() -> products.existsByName("b-" + c))).isFalse();
        service.add("b-" + c, c, 2);
        assertThat(products.countByCategory(c)).isEqualTo(2);
        assertThat(products.existsByName("b-" + c)).isTrue();
    }

    @Test
    void crudReads_withRecords_areCached_andFollowCommittedWrites() {
        long id = service.add("desk", category(), 300).getId();
        long other = service.add("shelf", category(), 80).getId();
        assertThat(cachedTwice(() -> catalog.findById(id))).map(ProductView::name).hasValue("desk");
        assertThat(cachedTwice(() -> products.findViewById(id))).map(ProductView::name).hasValue("desk");
        assertThat(cachedTwice(() -> catalog.existsById(id))).isTrue();
        assertThat(catalog.findAllById(List.of(id, other, -1L))).extracting(ProductView::id)
                .containsExactlyInAnyOrder(id, other);
        long count = cachedTwice(catalog::count);
        assertThat(count).isEqualTo(products.count());
        cachedTwice(() -> catalog.findAll(PageRequest.of(0, 5, Sort.by(Sort.Direction.DESC, "price"))));
        List<ProductView> sorted = cachedTwice(() -> catalog.findAll(Sort.by("name")));
        assertThat(sorted).hasSize((int) count);

        service.reprice(id, 310);
        assertThat(catalog.findById(id)).map(ProductView::price).hasValue(310L);
        assertThat(products.findViewById(id)).map(ProductView::price).hasValue(310L);
        products.deleteById(other);
        assertThat(catalog.existsById(other)).isFalse();
        assertThat(catalog.count()).isEqualTo(count - 1);
    }

    @Test
    void springDataWrites_saveAll_deleteById_andModifyingQuery_invalidate() {
        String c = category();
        List<Product> saved = products.saveAll(List.of(new Product("x", c, 1), new Product("y", c, 2)));
        assertThat(cachedTwice(() -> products.findByCategory(c, PageRequest.of(0, 10))).getTotalElements()).isEqualTo(2);
        products.deleteById(saved.get(0).getId());
        assertThat(products.findByCategory(c, PageRequest.of(0, 10)).getContent()).extracting(ProductView::name)
                .containsExactly("y");
        assertThat(cachedTwice(() -> products.findViewById(saved.get(1).getId()))).map(ProductView::price).hasValue(2L);
        assertThat(products.raisePrices(c, 5)).isEqualTo(1);
        assertThat(products.findViewById(saved.get(1).getId())).map(ProductView::price).hasValue(7L);
        assertThat(products.findByCategory(c, PageRequest.of(0, 10)).getContent()).extracting(ProductView::price)
                .containsExactly(7L);
    }

    @Test
    void entitiesAndStreams_passThrough() {
        String c = category();
        long id = service.add("lamp", c, 5).getId();
        assertNotCached(() -> products.findById(id));
        assertNotCached(() -> products.findAll(PageRequest.of(0, 3)));
        assertNotCached(() -> service.readOnly(() -> {
            try (Stream<ProductView> s = products.streamByCategory(c)) {
                return s.toList();
            }
        }));
    }

    @Test
    void interfaceProjection_isCached_asFreshProxies_andFollowsWrites() {
        String c = category();
        long id = service.add("lamp", c, 5).getId();
        Supplier<List<String>> names = () -> products.findNamesByCategory(c).stream()
                .map(ProductRepository.ProductName::getName).toList();
        assertThat(cachedTwice(names)).containsExactly("lamp");
        assertThat(products.findNamesByCategory(c)).isNotSameAs(products.findNamesByCategory(c));
        products.save(renamed(products.findById(id).orElseThrow(), "lantern"));
        assertThat(names.get()).containsExactly("lantern");
    }

    @Test
    void queryMethod_isCachedPerEntity_anyCommittedWriteOfTheEntityMissesIt() {
        String c = category();
        long id = service.add("lamp", c, 5).getId();
        assertThat(cachedTwice(() -> products.listedIn(c))).extracting(ProductView::id).containsExactly(id);
        long other = service.add("unrelated", category(), 1).getId(); // another category: still a miss (coarse)
        CacheStats before = stats();
        assertThat(products.listedIn(c)).extracting(ProductView::id).containsExactly(id);
        assertThat(stats().minus(before).misses()).isEqualTo(1);
        assertThat(cachedTwice(() -> products.listedIn(c))).hasSize(1);
        service.add("lamp 2", c, 6);
        assertThat(products.listedIn(c)).hasSize(2);
        assertThat(other).isPositive();
    }

    @Test
    void insideTransaction_readsSeeOwnChanges_andUseNoCacheEntry() {
        long id = service.add("rug", category(), 40).getId();
        cachedTwice(() -> products.findViewById(id));
        CacheStats before = stats();
        ProductView seen = service.inNewTransaction(() -> {
            products.findById(id).orElseThrow().setPrice(45);
            return products.findViewById(id).orElseThrow();
        });
        assertThat(seen.price()).isEqualTo(45);
        CacheStats step = stats().minus(before);
        assertThat(step.hits() + step.misses()).isZero();
        assertThat(products.findViewById(id)).map(ProductView::price).hasValue(45L);
    }
}
