/**
 * Declarative caching of custom repository reads: mark an interface {@link io.loom.cache.declarative.Cached},
 * mark its read methods {@link io.loom.cache.declarative.CacheQuery} with a scope (LIST or SINGLE),
 * and wrap an implementation with {@link io.loom.cache.LoomCache#wrapDeclared}. Results are keyed by
 * method and canonical (MessagePack) arguments and go through the same race-free stamped cache as
 * the wrapped repositories. Every problem is reported at wrap time as a
 * {@link io.loom.cache.declarative.DeclarativeCachingException} naming the method.
 */
package io.loom.cache.declarative;
