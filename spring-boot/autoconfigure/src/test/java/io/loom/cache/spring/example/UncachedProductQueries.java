package io.loom.cache.spring.example;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Slice;
import org.springframework.data.domain.Sort;
import org.springframework.data.repository.Repository;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The same derived queries as {@link ProductRepository} and more, without Loom: what Spring Data itself answers. */
public interface UncachedProductQueries extends Repository<Product, Long> {

    List<ProductView> findByCategoryAndPriceLessThanOrderByPriceDesc(String category, long price, Pageable pageable);

    Page<ProductView> findByCategory(String category, Pageable pageable);

    Slice<ProductView> findByCategoryOrderByNameAsc(String category, Pageable pageable);

    List<ProductView> findByCategoryAndPriceBetween(String category, long min, long max);

    List<ProductView> findByCategoryAndNameStartingWithOrderByPrice(String category, String prefix);

    List<ProductView> findByCategoryAndNameContainingAndPriceGreaterThanEqual(String category, String part, long min,
                                                                              Sort sort);

    List<ProductView> findByCategoryAndPriceIn(String category, Collection<Long> prices);

    List<ProductView> findByCategoryAndNameNot(String category, String name);

    List<ProductView> findTop3ByCategoryOrderByPriceDesc(String category);

    Optional<ProductView> findFirstByCategoryOrderByPriceAsc(String category);

    long countByCategoryAndPriceLessThanEqual(String category, long price);
}
