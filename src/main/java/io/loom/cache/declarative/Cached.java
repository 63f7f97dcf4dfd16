package io.loom.cache.declarative;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a repository interface as eligible for declarative caching with
 * {@link io.loom.cache.LoomCache#wrapDeclared}: its {@link CacheQuery} methods are cached, every
 * other method passes through.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Cached {

    /**
     * The entity whose writes invalidate the cached results (any spelling {@code EntityNames}
     * normalizes, e.g. {@code "Book"}). Empty: the wrapped target's
     * {@link io.loom.cache.repository.Repository#entityName()}; wrapping fails when the target is
     * no Repository.
     */
    String entity() default "";
}
