package io.loom.cache.hibernate.declarative;

import io.loom.cache.hibernate.model.Book;
import io.loom.cache.hibernate.model.Views.BookCreate;
import io.loom.cache.hibernate.model.Views.BookUpdate;
import io.loom.cache.hibernate.model.Views.BookView;
import io.loom.cache.hibernate.repository.JpaEntityRepository;
import io.loom.cache.repository.QuerySpec;
import io.loom.cache.repository.ReadTracking;
import jakarta.persistence.EntityManagerFactory;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** {@link BookQueries} over a JPA repository, reporting the rows it reads; counts its calls. */
final class JpaBookQueries implements BookQueries, ReadTracking {

    final AtomicInteger calls = new AtomicInteger();
    private final JpaEntityRepository<Book, BookView, BookCreate, BookUpdate, Long> books;

    JpaBookQueries(EntityManagerFactory emf) {
        this.books = JpaEntityRepository.builder(emf, Book.class, BookView.class, BookCreate.class,
                BookUpdate.class, Long.class).build();
    }

    @Override
    public List<BookView> byGenre(String genre) {
        calls.incrementAndGet();
        return books.listWithQuery(QuerySpec.where("genre").eq(genre).orderBy("id").page(1, 100)).items();
    }

    @Override
    public Optional<BookView> byIsbn(String isbn) {
        calls.incrementAndGet();
        return books.getBy("isbn", isbn);
    }

    @Override
    public long countByGenre(String genre) {
        calls.incrementAndGet();
        return byGenre(genre).size();
    }

    @Override
    public <R> Tracked<R> tracked(Supplier<R> read) {
        return books.tracked(read);
    }

    @Override
    public Set<String> entitiesRead(String profile) {
        return books.entitiesRead(profile);
    }

    @Override
    public io.loom.cache.repository.ReadSnapshot readSnapshot() {
        return books.readSnapshot();
    }
}
