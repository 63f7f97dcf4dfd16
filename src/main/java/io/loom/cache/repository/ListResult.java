package io.loom.cache.repository;

import java.util.List;

/** One page of a list query: a {@link PageResult} or a {@link CursorResult}, by pagination kind. */
public sealed interface ListResult<T> permits PageResult, CursorResult {

    /** The items of this page, in query order; never null, unmodifiable. */
    List<T> items();

    /** Whether a further page has at least one item. */
    boolean hasNext();
}
