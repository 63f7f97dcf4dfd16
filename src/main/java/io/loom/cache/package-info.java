/** Loom Cache: cache-aside reads with generational, commit-driven invalidation. */
package io.loom.cache;
