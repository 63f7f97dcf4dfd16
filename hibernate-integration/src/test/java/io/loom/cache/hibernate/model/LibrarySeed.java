package io.loom.cache.hibernate.model;

import jakarta.persistence.EntityManagerFactory;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Deterministic test data: {@value #PUBLISHERS} publishers, {@value #AUTHORS} authors and
 * {@value #BOOKS} books. Book {@code i} (1-based) has title "Book %02d", genre
 * {@code GENRES[i % 4]}, year {@code 1950 + (i * 7) % 70}, price {@code 5 + i % 20 + 0.99}, rating
 * null when {@code i % 5 == 0} else {@code (i % 10) / 2.0}, author {@code i % 6}, publisher
 * {@code i % 3} (none when {@code i % 10 == 7}).
 */
public final class LibrarySeed {

    public static final int PUBLISHERS = 3;
    public static final int AUTHORS = 6;
    public static final int BOOKS = 60;
    public static final List<String> GENRES = List.of("scifi", "fantasy", "crime", "history");

    /** Ids of the seeded rows, in creation order. */
    public record Ids(List<Long> publishers, List<Long> authors, List<Long> books) {
    }

    private LibrarySeed() {
    }

    public static String genreOf(int i) {
        return GENRES.get(i % 4);
    }

    public static int yearOf(int i) {
        return 1950 + (i * 7) % 70;
    }

    public static Double ratingOf(int i) {
        return i % 5 == 0 ? null : (i % 10) / 2.0;
    }

    /** Inserts the data set in one transaction. */
    public static Ids seed(EntityManagerFactory emf) {
        List<Publisher> publishers = new ArrayList<>();
        List<Author> authors = new ArrayList<>();
        List<Book> books = new ArrayList<>();
        emf.runInTransaction(em -> {
            for (int p = 0; p < PUBLISHERS; p++) {
                Publisher publisher = new Publisher("Publisher " + p, p % 2 == 0 ? "UK" : "US");
                em.persist(publisher);
                publishers.add(publisher);
            }
            for (int a = 0; a < AUTHORS; a++) {
                Author author = new Author("Author " + a, a == 5 ? null : 1900 + a * 10);
                em.persist(author);
                authors.add(author);
            }
            for (int i = 1; i <= BOOKS; i++) {
                Book book = new Book(String.format("Book %02d", i), genreOf(i), yearOf(i),
                        new BigDecimal(5 + i % 20 + ".99"), ratingOf(i), String.format("978-0-%05d", i),
                        authors.get(i % AUTHORS), i % 10 == 7 ? null : publishers.get(i % PUBLISHERS));
                em.persist(book);
                books.add(book);
            }
        });
        return new Ids(publishers.stream().map(Publisher::getId).toList(),
                authors.stream().map(Author::getId).toList(),
                books.stream().map(Book::getId).toList());
    }
}
