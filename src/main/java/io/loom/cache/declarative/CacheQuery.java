package io.loom.cache.declarative;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Caches a custom read method of a {@link Cached} repository interface, keyed by the method and
 * its canonical arguments. The return type must be cacheable: a record, a primitive, a box,
 * {@code String}, {@code BigDecimal}, {@code BigInteger}, {@code UUID}, an enum, a
 * {@code java.time} value, {@code List}/{@code Set}/{@code Collection}/{@code Map} of those,
 * {@code Optional} of those, {@code PageResult}/{@code CursorResult} of records; so must every
 * parameter type (they form the key). Anything else (void, entity classes, streams, iterators,
 * futures) fails at wrap time.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface CacheQuery {

    /** What the result depends on. */
    Scope scope();

    /**
     * Key of the TTL setting: {@code CacheConfig.ttlForList(ttlKey)} for LIST,
     * {@code ttlForSingle(ttlKey)} for SINGLE. Empty: the entity name.
     */
    String ttlKey() default "";

    /** How writes of the entity invalidate a cached result. */
    enum Scope {
        /**
         * A result computed by an unknown filter over the entity: any committed insert, update or
         * delete of the entity misses it, as does any change to a row the target reports having
         * read (when it implements {@code ReadTracking}).
         */
        LIST,
        /**
         * At most one row found by a unique key: a change to the returned row (or any row the
         * target reports having read) misses it. Without {@code ReadTracking}, or when nothing was
         * found, any insert or update of the entity misses it.
         */
        SINGLE
    }
}
