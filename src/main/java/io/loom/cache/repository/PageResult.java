package io.loom.cache.repository;

import java.util.List;
import java.util.Objects;

/**
 * A page of an offset-paginated list. Immutable.
 *
 * @param items   items of the page, never null
 * @param page    1-based page number
 * @param limit   page size asked for
 * @param total   number of rows matching the filters across all pages
 * @param hasNext whether a later page has items
 */
public record PageResult<T>(List<T> items, int page, int limit, long total, boolean hasNext) implements ListResult<T> {

    public PageResult {
        items = List.copyOf(Objects.requireNonNull(items, "items"));
    }

    /** Number of pages for {@link #total()} rows (0 when there are none). */
    public long totalPages() {
        return (total + limit - 1) / limit;
    }
}
