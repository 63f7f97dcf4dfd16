package io.loom.cache.spring.example;

import io.loom.cache.hibernate.repository.JpaEntityRepository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.util.Optional;
import java.util.function.Supplier;

/** The shop's transactional operations, over the Spring Data repository and a Loom repository. */
@Service
public class ProductService {

    /** A checked failure the service declares to roll back. */
    public static class PriceRejected extends Exception {
        public PriceRejected(String message) {
            super(message);
        }
    }

    private final ProductRepository products;
    private final ProductCatalog catalog;

    public ProductService(ProductRepository products, ProductCatalog catalog) {
        this.products = products;
        this.catalog = catalog;
    }

    @Transactional
    public Product add(String name, String category, long price) {
        return products.save(new Product(name, category, price));
    }

    @Transactional
    public void reprice(long id, long price) {
        products.findById(id).orElseThrow().setPrice(price);
    }

    /** Changes the price, then fails: the change rolls back. */
    @Transactional
    public void repriceThenFail(long id, long price) {
        reprice(id, price);
        throw new IllegalStateException("rejected after repricing " + id);
    }

    /** A checked exception commits by default; this one is declared to roll back. */
    @Transactional(rollbackFor = PriceRejected.class)
    public void repriceThenReject(long id, long price) throws PriceRejected {
        reprice(id, price);
        throw new PriceRejected("rejected " + id);
    }

    /** A checked exception not declared for rollback: the change commits. */
    @Transactional
    public void repriceThenComplain(long id, long price) throws PriceRejected {
        reprice(id, price);
        throw new PriceRejected("complained about " + id);
    }

    /** Reprices through the Spring repository, then reads through Loom's repository in the same transaction. */
    @Transactional
    public Optional<ProductView> repriceAndReadBack(long id, long price) {
        reprice(id, price);
        return catalog.loom().getById(id);
    }

    /** A Loom repository write inside a Spring transaction that then fails. */
    @Transactional
    public void renameThroughLoomThenFail(long id, String name) {
        catalog.loom().update(id, new ProductCatalog.Rename(name));
        throw new IllegalStateException("rename of " + id + " rolled back");
    }

    @Transactional(readOnly = true)
    public <T> T readOnly(Supplier<T> read) {
        return read.get();
    }

    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public <T> T inNewTransaction(Supplier<T> work) {
        return work.get();
    }

    public JpaEntityRepository<Product, ProductView, ProductCatalog.Rename, ProductCatalog.Rename, Long> loom() {
        return catalog.loom();
    }
}
