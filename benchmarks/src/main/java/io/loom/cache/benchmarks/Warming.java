package io.loom.cache.benchmarks;

/** What a trial caches before it measures: only what its benchmark reads, so set-up stays short. */
enum Warming {
    /** Every row (reads by id). */
    ROWS,
    /** Every category's first page (list reads). */
    PAGES,
    /** Both (the mixed workload). */
    ALL;

    boolean rows() {
        return this != PAGES;
    }

    boolean pages() {
        return this != ROWS;
    }
}
