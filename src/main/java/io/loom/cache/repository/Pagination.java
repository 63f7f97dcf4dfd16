package io.loom.cache.repository;

/**
 * How a list query is paged: by page number ({@link PageParams}, answered with a
 * {@link PageResult} carrying a total) or by keyset cursor ({@link CursorParams}, answered with a
 * {@link CursorResult}).
 */
public sealed interface Pagination permits PageParams, CursorParams {

    /** Maximum number of items of one page, at least 1. */
    int limit();

    /** Stable text form. */
    String canonical();
}
