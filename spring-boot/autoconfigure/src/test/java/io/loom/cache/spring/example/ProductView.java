package io.loom.cache.spring.example;

/** What the shop shows of a product (a DTO projection: cacheable). */
public record ProductView(Long id, String name, String category, long price) {
}
