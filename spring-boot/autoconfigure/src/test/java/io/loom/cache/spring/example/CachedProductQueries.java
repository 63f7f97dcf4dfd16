package io.loom.cache.spring.example;

import io.loom.cache.spring.data.LoomCached;

/** {@link UncachedProductQueries} served by Loom. */
@LoomCached(view = ProductView.class)
public interface CachedProductQueries extends UncachedProductQueries {
}
