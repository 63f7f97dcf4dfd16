/**
 * The repository contract, free of persistence-framework types: {@link io.loom.cache.repository.Repository},
 * its immutable query values ({@link io.loom.cache.repository.QuerySpec}, {@link io.loom.cache.repository.Filter},
 * {@link io.loom.cache.repository.Sort}, {@link io.loom.cache.repository.PageParams},
 * {@link io.loom.cache.repository.CursorParams}, {@link io.loom.cache.repository.FilterParams}) with stable
 * {@code canonical()} forms for cache keys, its sealed results ({@link io.loom.cache.repository.PageResult},
 * {@link io.loom.cache.repository.CursorResult}), partial updates ({@link io.loom.cache.repository.Patch}),
 * {@link io.loom.cache.repository.ReadTracking} and the typed errors every implementation throws.
 */
package io.loom.cache.repository;
