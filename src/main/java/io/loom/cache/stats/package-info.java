/** Cache activity: the counters' values ({@link io.loom.cache.stats.CacheStats}) and their live source. */
package io.loom.cache.stats;
