package io.loom.cache.hibernate.declarative;

import io.loom.cache.declarative.CacheQuery;
import io.loom.cache.declarative.Cached;
import io.loom.cache.hibernate.model.Views.BookView;

import java.util.List;
import java.util.Optional;

/** A custom repository interface with declaratively cached reads. */
@Cached(entity = "Book")
public interface BookQueries {

    @CacheQuery(scope = CacheQuery.Scope.LIST, ttlKey = "book_by_genre")
    List<BookView> byGenre(String genre);

    @CacheQuery(scope = CacheQuery.Scope.SINGLE)
    Optional<BookView> byIsbn(String isbn);

    /** Not annotated: always calls the target. */
    long countByGenre(String genre);
}
