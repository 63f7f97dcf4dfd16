package io.loom.cache.repository;

import java.util.List;
import java.util.Objects;

/**
 * A page of a keyset-paginated list. Immutable.
 *
 * @param items      items of the page, never null
 * @param nextCursor opaque token for the next page; null when there is none
 * @param hasNext    whether a next page has items
 */
public record CursorResult<T>(List<T> items, String nextCursor, boolean hasNext) implements ListResult<T> {

    public CursorResult {
        items = List.copyOf(Objects.requireNonNull(items, "items"));
    }
}
