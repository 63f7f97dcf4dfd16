package io.loom.cache.spring.example;

import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A computed ranking cached with Spring's annotations in the Loom CacheManager: no @CacheEvict on writes. */
@Service
public class TopProducts {

    private final ProductRepository products;
    private final AtomicInteger computations = new AtomicInteger();

    public TopProducts(ProductRepository products) {
        this.products = products;
    }

    /** The most expensive products of a category. */
    @Cacheable(cacheNames = "topProducts", sync = true)
    public List<ProductView> top(String category, int n) {
        computations.incrementAndGet();
        return products.listedIn(category).stream().sorted(Comparator.comparingLong(ProductView::price).reversed())
                .limit(n).toList();
    }

    /** The same without sync: Spring puts the value afterwards, which Loom does not store. */
    @Cacheable(cacheNames = "unsynced")
    public List<ProductView> topUnsynced(String category, int n) {
        computations.incrementAndGet();
        return products.listedIn(category).stream().limit(n).toList();
    }

    @CacheEvict(cacheNames = "topProducts", allEntries = true)
    public void forget() {
    }

    public int computations() {
        return computations.get();
    }
}
