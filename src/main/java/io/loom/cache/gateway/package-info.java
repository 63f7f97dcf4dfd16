/**
 * The cache facade and its backend SPI: {@link io.loom.cache.gateway.CacheGateway} (alias
 * registry, typed reads and writes, data and counter modes) over a
 * {@link io.loom.cache.gateway.CacheBackend} (Redis through Redisson, or in-memory Caffeine).
 */
package io.loom.cache.gateway;
