package io.loom.cache.spring.example;

import org.springframework.data.jpa.repository.JpaRepository;

/** The shop's Spring Data repository. */
public interface ProductRepository extends JpaRepository<Product, Long> {
}
