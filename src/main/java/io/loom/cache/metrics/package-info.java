/** Optional Micrometer binding of the cache statistics ({@link io.loom.cache.metrics.LoomCacheMetrics}). */
package io.loom.cache.metrics;
