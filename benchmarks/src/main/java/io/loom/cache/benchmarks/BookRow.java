package io.loom.cache.benchmarks;

import java.io.Serializable;

/**
 * The value every reader returns: one row of {@link BenchDatabase#TABLE}, detached from any
 * persistence context. Implementations compare equal when they read the same row state.
 *
 * @param id       primary key, 1..{@link BenchSettings#ROWS}
 * @param category low-cardinality filter column (one of {@link BenchSettings#CATEGORIES} values)
 * @param title    sort column of the list scenario
 * @param body     ~200-character text column
 * @param revision counter incremented by every committed update
 */
public record BookRow(long id, String category, String title, String body, long revision)
        implements Serializable {

    /** The row as the seeding writes it (revision 0). */
    public static BookRow seeded(long id) {
        return new BookRow(id, BookFixture.category(id), BookFixture.title(id), BookFixture.body(id), 0L);
    }
}
