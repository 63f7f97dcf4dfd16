/**
 * Internal backend implementations and helpers; not a public API. The invalidation layer uses
 * {@link io.loom.cache.internal.backend.RedissonBackend#client()},
 * {@link io.loom.cache.internal.backend.RedissonBackend#key(String)} and
 * {@link io.loom.cache.internal.backend.MemoryBackend#map()} for its own atomic operations.
 */
package io.loom.cache.internal.backend;
