package io.loom.cache.spring.transaction;

import io.loom.cache.LoomCache;
import io.loom.cache.hibernate.repository.JpaTransactions;
import io.loom.cache.spring.example.ExampleApplication;
import io.loom.cache.spring.example.ProductCatalog;
import io.loom.cache.spring.example.ProductRepository;
import io.loom.cache.spring.example.ProductService;
import io.loom.cache.spring.example.ProductView;
import io.loom.cache.stats.CacheStats;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.orm.jpa.EntityManagerFactoryUtils;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@SpringBootTest(classes = ExampleApplication.class)
class SpringTransactionsTest {

    @Autowired
    ProductService service;
    @Autowired
    ProductCatalog catalog;
    @Autowired
    ProductRepository products;
    @Autowired
    EntityManagerFactory emf;
    @Autowired
    LoomCache cache;
    @Autowired
    PlatformTransactionManager transactions;

    private long product(long price) {
        return service.add("chair", "tx", price).getId();
    }

    private long price(long id) {
        return products.findById(id).orElseThrow().getPrice();
    }

    @Test
    void loomRead_insideTransactional_seesTheTransactionsOwnChange() {
        long id = product(100);
        assertThat(service.repriceAndReadBack(id, 120)).map(ProductView::price).hasValue(120L);
        assertThat(price(id)).isEqualTo(120);
    }

    @Test
    void loomWrite_insideTransactionThatRollsBack_isRolledBack() {
        long id = product(100);
        assertThatThrownBy(() -> service.renameThroughLoomThenFail(id, "renamed"))
                .isInstanceOf(IllegalStateException.class);
        assertThat(products.findById(id).orElseThrow().getName()).isEqualTo("chair");
    }

    @Test
    void loomRepository_joinsTheSpringTransaction_readOnlyIncluded_andNothingOutsideOne() {
        assertThat(JpaTransactions.current(emf)).isNull();
        assertThat(service.readOnly(() -> JpaTransactions.current(emf)
                == EntityManagerFactoryUtils.getTransactionalEntityManager(emf))).isTrue();
        assertThat(service.readOnly(() -> JpaTransactions.current(emf))).isNotNull();
        assertThat(JpaTransactions.current(emf)).isNull();
    }

    @Test
    void requiresNew_readsInItsOwnTransaction_notTheOuterUncommittedOne() {
        long id = product(100);
        TransactionTemplate outer = new TransactionTemplate(transactions);
        Long seenInside = outer.execute(status -> {
            service.reprice(id, 150);
            assertThat(catalog.loom().getById(id)).map(ProductView::price).hasValue(150L);
            return service.inNewTransaction(() -> catalog.loom().getById(id).orElseThrow().price());
        });
        assertThat(seenInside).isEqualTo(100);
        assertThat(price(id)).isEqualTo(150);
    }

    @Test
    void rollbackForRule_rollsBackTheCheckedException_andInvalidatesNothing() {
        long id = product(100);
        warm(id);
        CacheStats before = cache.stats("product");
        assertThatThrownBy(() -> service.repriceThenReject(id, 130)).isInstanceOf(ProductService.PriceRejected.class);
        assertThat(catalog.cached().getById(id)).map(ProductView::price).hasValue(100L);
        CacheStats step = cache.stats("product").minus(before);
        assertThat(step.hits()).isEqualTo(1);
        assertThat(step.misses()).isZero();
        assertThat(price(id)).isEqualTo(100);
    }

    @Test
    void checkedExceptionWithoutRollbackRule_commits_andInvalidates() {
        long id = product(100);
        warm(id);
        assertThatThrownBy(() -> service.repriceThenComplain(id, 140)).isInstanceOf(ProductService.PriceRejected.class);
        assertThat(catalog.cached().getById(id)).map(ProductView::price).hasValue(140L);
    }

    @Test
    void transactionTemplate_rollbackOnly_undoesLoomAndSpringWrites_andInvalidatesNothing() {
        long id = product(100);
        warm(id);
        CacheStats before = cache.stats("product");
        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            catalog.loom().update(id, new ProductCatalog.Rename("sofa"));
            service.reprice(id, 90);
            status.setRollbackOnly();
        });
        assertThat(catalog.cached().getById(id)).hasValue(new ProductView(id, "chair", "tx", 100));
        assertThat(cache.stats("product").minus(before).hits()).isEqualTo(1);
        assertThat(cache.stats("product").minus(before).misses()).isZero();
    }

    @Test
    void afterCommitCallback_alreadySeesTheInvalidation_fromAnotherThread() {
        long id = product(100);
        warm(id);
        AtomicReference<CompletableFuture<Long>> seen = new AtomicReference<>();
        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            service.reprice(id, 175);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    // Another thread has no transaction bound: it reads through the cache.
                    seen.set(CompletableFuture.supplyAsync(() -> catalog.cached().getById(id).orElseThrow().price()));
                    seen.get().join();
                }
            });
        });
        assertThat(seen.get().join()).isEqualTo(175);
    }

    /*
     * Fails today: CachedRepository stores what a read inside a caller's transaction loaded, dirty
     * or not. The unit-of-work storing rule (nothing loaded while JpaTransactions.current(emf) is
     * set is stored) fixes it for Loom units of work and, through TransactionalEntityManagers, for
     * Spring transactions; enable this test when that rule is merged. @LoomCached repositories and
     * Loom Spring caches already bypass the cache inside transactions themselves.
     */
    @Test
    void cachedRead_insideATransactionThatRollsBack_neverLeavesItsUncommittedValueCached() {
        long id = product(100);
        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            service.reprice(id, 1);
            assertThat(catalog.cached().getById(id)).map(ProductView::price).hasValue(1L); // its own change
            status.setRollbackOnly();
        });
        assertThat(catalog.cached().getById(id)).map(ProductView::price).hasValue(100L);
    }

    /** Caches the product and proves the next read is a hit. */
    private void warm(long id) {
        catalog.cached().getById(id);
        CacheStats before = cache.stats("product");
        catalog.cached().getById(id);
        assertThat(cache.stats("product").minus(before).hits()).isEqualTo(1);
    }
}
