package io.loom.cache.repository;

/**
 * Keyset pagination: the opaque cursor of the previous page ({@code null} for the first page) and
 * the page size. Immutable.
 *
 * @throws InvalidPageException if limit &lt; 1
 */
public record CursorParams(String after, int limit) implements Pagination {

    public CursorParams {
        if (limit < 1) {
            throw new InvalidPageException("limit must be >= 1, got " + limit);
        }
        if (after != null && after.isEmpty()) {
            after = null;
        }
    }

    /** The first page of a cursor walk. */
    public static CursorParams first(int limit) {
        return new CursorParams(null, limit);
    }

    @Override
    public String canonical() {
        return "cursor:" + (after == null ? "~" : Canonical.escape(after)) + ":" + limit;
    }
}
