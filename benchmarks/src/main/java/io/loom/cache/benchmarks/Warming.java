package io.loom.cache.benchmarks;

/** What a trial caches before it measures: only what its benchmark reads, so set-up stays short. */
enum Warming {
    /** Every row (reads by id). */
    ROWS,
    /** Every category's first page (list reads). */
    PAGES,
    /** Both (the mixed workload). */
    ALL,
    /** Nothing: the trial starts with an empty cache (the mix from a cold start). */
    NONE;

    boolean rows() {
        return this == ROWS || this == ALL;
    }

    boolean pages() {
        return this == PAGES || this == ALL;
    }
}
