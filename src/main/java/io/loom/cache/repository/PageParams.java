package io.loom.cache.repository;

/**
 * Offset pagination: 1-based page number and page size. Immutable. The repository may reject a
 * limit over its own cap with {@link InvalidPageException}.
 *
 * @throws InvalidPageException if page &lt; 1 or limit &lt; 1
 */
public record PageParams(int page, int limit) implements Pagination {

    public PageParams {
        if (page < 1) {
            throw new InvalidPageException("page must be >= 1, got " + page);
        }
        if (limit < 1) {
            throw new InvalidPageException("limit must be >= 1, got " + limit);
        }
    }

    public static PageParams of(int page, int limit) {
        return new PageParams(page, limit);
    }

    /** Number of rows before this page. */
    public long offset() {
        return (long) (page - 1) * limit;
    }

    @Override
    public String canonical() {
        return "page:" + page + ":" + limit;
    }
}
