package io.loom.cache.hibernate.model;

import io.loom.cache.repository.Patch;

import java.math.BigDecimal;
import java.util.List;

/** Output, create and update records of the test model. */
public final class Views {

    private Views() {
    }

    /** A publisher as returned by reads. */
    public record PublisherView(Long id, String name, String country) {
    }

    /** A book; {@code publisher} is set only when a profile loaded it. */
    public record BookView(Long id, String title, String genre, int publishedYear, BigDecimal price, Double rating,
                           String isbn, Long authorId, Long publisherId, PublisherView publisher) {
    }

    /** An author; {@code books} is null unless a profile loaded them. */
    public record AuthorView(Long id, String name, Integer birthYear, List<BookView> books) {
    }

    public record PublisherCreate(String name, String country) {
    }

    public record PublisherUpdate(String name, Patch<String> country) {
    }

    public record BookCreate(String title, String genre, Integer publishedYear, BigDecimal price, Double rating,
                             String isbn, Long authorId, Long publisherId) {
    }

    /** Partial book update: null leaves a field as is; Patch can clear rating and publisher. */
    public record BookUpdate(String title, String genre, Integer publishedYear, BigDecimal price, Patch<Double> rating,
                             String isbn, Long authorId, Patch<Long> publisherId) {

        public static BookUpdate title(String title) {
            return new BookUpdate(title, null, null, null, null, null, null, null);
        }
    }

    public record AuthorCreate(String name, Integer birthYear) {
    }

    public record AuthorUpdate(String name, Patch<Integer> birthYear) {
    }

    /** A shelf item. */
    public record ShelfItemView(Long id, String label, int position, Long shelfId) {
    }

    /** A shelf; {@code items} is null unless a profile loaded them. */
    public record ShelfView(Long id, String name, List<ShelfItemView> items) {
    }

    public record ShelfCreate(String name) {
    }

    public record ShelfUpdate(String name) {
    }

    public record ShelfItemCreate(String label, Integer position, Long shelfId) {
    }

    public record ShelfItemUpdate(String label) {
    }
}
