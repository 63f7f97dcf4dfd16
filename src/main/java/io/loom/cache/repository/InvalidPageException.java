package io.loom.cache.repository;

import io.loom.cache.error.LoomException;

/** Pagination parameters out of range: a page below 1, a limit below 1 or over the repository's cap. */
public class InvalidPageException extends LoomException {

    public InvalidPageException(String message) {
        super(message);
    }

    /** The limit exceeds the repository's maximum. */
    public static InvalidPageException limitOverCap(int limit, int maxLimit) {
        return new InvalidPageException("limit " + limit + " exceeds the maximum of " + maxLimit);
    }
}
