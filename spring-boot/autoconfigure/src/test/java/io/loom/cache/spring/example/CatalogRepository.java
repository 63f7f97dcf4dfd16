package io.loom.cache.spring.example;

import io.loom.cache.spring.data.LoomCached;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.repository.Repository;

import java.util.List;
import java.util.Optional;

/** A read-only repository exposing the CRUD reads with a DTO record instead of the entity: all cached. */
@LoomCached(view = ProductView.class)
public interface CatalogRepository extends Repository<Product, Long> {

    Optional<ProductView> findById(Long id);

    List<ProductView> findAllById(Iterable<Long> ids);

    Page<ProductView> findAll(Pageable pageable);

    List<ProductView> findAll(Sort sort);

    boolean existsById(Long id);

    long count();
}
