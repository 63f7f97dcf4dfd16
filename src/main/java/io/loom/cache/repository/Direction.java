package io.loom.cache.repository;

/**
 * Sort direction. Nulls sort as the smallest value: first in {@link #ASC}, last in {@link #DESC},
 * on every database.
 */
public enum Direction {
    ASC, DESC
}
