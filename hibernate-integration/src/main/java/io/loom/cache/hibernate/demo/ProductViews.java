package io.loom.cache.hibernate.demo;

import java.math.BigDecimal;

/** Records the demo repository reads and writes {@link Product}s with. */
public final class ProductViews {

    private ProductViews() {
    }

    /** A product as reads return it (and as it is cached). */
    public record ProductView(Long id, String name, String category, BigDecimal price) {
    }

    /** Values of a new product. */
    public record ProductCreate(String name, String category, BigDecimal price) {
    }

    /** Partial change of a product: null leaves a field as it is. */
    public record ProductUpdate(String name, String category, BigDecimal price) {
    }
}
