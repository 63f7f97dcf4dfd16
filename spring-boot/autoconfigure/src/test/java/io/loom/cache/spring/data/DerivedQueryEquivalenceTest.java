package io.loom.cache.spring.data;

import io.loom.cache.LoomCache;
import io.loom.cache.spring.example.CachedProductQueries;
import io.loom.cache.spring.example.ExampleApplication;
import io.loom.cache.spring.example.Product;
import io.loom.cache.spring.example.ProductRepository;
import io.loom.cache.spring.example.UncachedProductQueries;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Loom's answer to every translated derived query equals Spring Data's own, on random data with
 * unique prices (so every order is total), before and after random writes.
 */
@SpringBootTest(classes = ExampleApplication.class)
class DerivedQueryEquivalenceTest {

    @Autowired
    CachedProductQueries cached;
    @Autowired
    @Qualifier("uncachedProductQueries")
    UncachedProductQueries plain;
    @Autowired
    ProductRepository products;
    @Autowired
    LoomCache cache;

    @Test
    void everyTranslatedQuery_answersAsSpringData_acrossWrites() {
        Random random = new Random(7);
        String c = "eq" + UUID.randomUUID().toString().substring(0, 6);
        List<Product> rows = new ArrayList<>();
        List<Long> prices = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            prices.add((long) i * 7 + 3);
        }
        java.util.Collections.shuffle(prices, random);
        for (int i = 0; i < 30; i++) {
            rows.add(new Product(random.nextBoolean() ? "alpha" + i : "beta" + i, c, prices.get(i)));
        }
        products.saveAll(rows);
        long hitsBefore = cache.stats("product").hits();
        long[] limits = {40, 120, 75, 230, 10, 160};
        for (int round = 0; round < 6; round++) {
            for (int repeat = 0; repeat < 2; repeat++) {
                secondPass = repeat == 1;
                long limit = limits[round];
                int page = round % 4;
                int size = 1 + round;
                same(q -> q.findByCategoryAndPriceLessThanOrderByPriceDesc(c, limit, PageRequest.of(page, size)));
                same(q -> q.findByCategory(c, PageRequest.of(page, size, Sort.by("price"))).getContent());
                same(q -> q.findByCategory(c, PageRequest.of(page, size, Sort.by("price"))).getTotalElements());
                same(q -> q.findByCategoryOrderByNameAsc(c, PageRequest.of(page, size)).getContent());
                same(q -> q.findByCategoryOrderByNameAsc(c, PageRequest.of(page, size)).hasNext());
                same(q -> q.findByCategoryAndPriceBetween(c, limit - 50, limit).stream()
                        .sorted(java.util.Comparator.comparing(v -> v.id())).toList());
                same(q -> q.findByCategoryAndNameStartingWithOrderByPrice(c, "alpha1"));
                same(q -> q.findByCategoryAndNameContainingAndPriceGreaterThanEqual(c, "ta", limit / 2,
                        Sort.by(Sort.Direction.DESC, "price")));
                same(q -> q.findByCategoryAndPriceIn(c, List.of(prices.get(0), prices.get(1), -1L)).stream()
                        .sorted(java.util.Comparator.comparing(v -> v.id())).toList());
                same(q -> q.findByCategoryAndNameNot(c, "alpha3").size());
                same(q -> q.findTop3ByCategoryOrderByPriceDesc(c));
                same(q -> q.findFirstByCategoryOrderByPriceAsc(c));
                same(q -> q.countByCategoryAndPriceLessThanEqual(c, limit));
            }
            Product changed = rows.get(random.nextInt(rows.size()));
            changed.setPrice(prices.get(30 + round));
            rows.set(rows.indexOf(changed), products.save(changed));
        }
        assertThat(cache.stats("product").hits() - hitsBefore).as("the repeated calls were hits").isPositive();
    }

    private boolean secondPass;

    /** Loom's answer equals Spring Data's; on the second pass (same arguments, no write between) it is a hit. */
    private void same(Function<UncachedProductQueries, Object> query) {
        long before = cache.stats("product").hits();
        Object loom = query.apply(cached);
        if (secondPass) {
            assertThat(cache.stats("product").hits() - before).as("served from the cache").isEqualTo(1);
        }
        assertThat(loom).isEqualTo(query.apply(plain));
    }
}
