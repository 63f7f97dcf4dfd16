package io.loom.cache.spring.example;

import io.loom.cache.spring.data.LoomCached;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Slice;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The shop's Spring Data repository. Methods returning {@link ProductView} records or a closed interface projection are served by
 * Loom; those returning {@link Product} entities (the inherited {@code findById}, {@code findAll})
 * pass through, as do streams; the {@code @Query} method is cached per
 * entity (any committed write of a Product misses it).
 */
@LoomCached(view = ProductView.class)
public interface ProductRepository extends JpaRepository<Product, Long> {

    List<ProductView> findByCategoryAndPriceLessThanOrderByPriceDesc(String category, long price, Pageable pageable);

    Page<ProductView> findByCategory(String category, Pageable pageable);

    Slice<ProductView> findByCategoryOrderByNameAsc(String category, Pageable pageable);

    List<ProductView> findByCategoryAndPriceBetween(String category, long min, long max);

    Optional<ProductView> findByName(String name);

    Optional<ProductView> findViewById(Long id);

    long countByCategory(String category);

    boolean existsByName(String name);

    /** Names of a category: a closed interface projection, cached. */
    List<ProductName> findNamesByCategory(String category);

    Stream<ProductView> streamByCategory(String category);

    @Query("select new io.loom.cache.spring.example.ProductView(p.id, p.name, p.category, p.price) "
            + "from Product p where p.category = ?1 order by p.id")
    List<ProductView> listedIn(String category);

    @Modifying
    @Transactional
    @Query("update Product p set p.price = p.price + ?2 where p.category = ?1")
    int raisePrices(String category, long by);

    /** An interface projection. */
    interface ProductName {
        String getName();
    }
}
