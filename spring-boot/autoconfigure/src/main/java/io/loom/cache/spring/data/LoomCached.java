package io.loom.cache.spring.data;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Serves a Spring Data repository's reads through Loom Cache. On an interface marked with it,
 * every method that returns DTO records or closed interface projections of scalar properties (one,
 * {@code Optional}, {@code List}, {@code Page} or {@code Slice} of them) and is {@code findById}, {@code findAllById}, {@code findAll} (plain,
 * {@code Sort}, {@code Pageable}) or a derived query ({@code findBy...}, {@code countBy...},
 * {@code existsBy...}) is answered from the cache while no committed write touched what it read,
 * with the same row- and field-precise invalidation as Loom's {@code listWithQuery}.
 * {@code existsById}, {@code count} and derived counts are cached when {@link #view()} names a
 * record. JPQL {@code @Query} methods returning records (one, {@code Optional} or {@code List})
 * are cached per entity: any committed write of the repository's entity or of an entity the query
 * names misses them. Everything else passes through to Spring Data unchanged: methods returning
 * entities (managed objects must stay in their persistence context), open or nested
 * projections, streams, native queries, Specification and Example methods (a specification cannot be a cache
 * key) and writes. Inside a Spring transaction cached methods read through the transaction (they
 * see its own changes) and use no cache entry.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface LoomCached {

    /**
     * A record of the entity used for methods whose result names none ({@code existsById},
     * {@code count}, {@code countBy...}, {@code existsBy...}); {@code Record.class}: none, those
     * methods pass through.
     */
    Class<? extends Record> view() default Record.class;
}
