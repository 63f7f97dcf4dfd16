/**
 * Immutable cache configuration ({@link io.loom.cache.config.CacheConfig},
 * {@link io.loom.cache.config.BackendSettings}) and its loading from YAML, flat properties and maps
 * ({@link io.loom.cache.config.CacheConfigLoader}). Every key is listed on
 * {@link io.loom.cache.config.CacheSettings}.
 */
package io.loom.cache.config;
