package io.loom.cache.spring.example;

import io.loom.cache.LoomCache;
import io.loom.cache.hibernate.repository.JpaEntityRepository;
import io.loom.cache.repository.Repository;
import jakarta.persistence.EntityManagerFactory;
import org.springframework.stereotype.Component;

/** Loom's own repository over the products, plain and cached, as an application would define it. */
@Component
public class ProductCatalog {

    /** Create and update values of the Loom repository. */
    public record Rename(String name) {
    }

    private final JpaEntityRepository<Product, ProductView, Rename, Rename, Long> loom;
    private final Repository<ProductView, Rename, Rename, Long> cached;

    public ProductCatalog(EntityManagerFactory emf, LoomCache cache) {
        this.loom = JpaEntityRepository.builder(emf, Product.class, ProductView.class, Rename.class, Rename.class,
                Long.class).build();
        this.cached = cache.wrap(loom);
    }

    public JpaEntityRepository<Product, ProductView, Rename, Rename, Long> loom() {
        return loom;
    }

    public Repository<ProductView, Rename, Rename, Long> cached() {
        return cached;
    }
}
