package io.loom.cache.gateway;

import io.loom.cache.config.BackendSettings;

/**
 * Builds the backend of one configured alias for {@link CacheGateway}'s alias registry. The
 * library's own provider (memory and Redis) is found with {@link java.util.ServiceLoader}, so this
 * package depends on no implementation.
 */
public interface CacheBackendProvider {

    /**
     * A new backend for {@code alias} as {@code settings} describe it; the caller closes it.
     *
     * @throws io.loom.cache.error.LoomException (a backend subtype) when the backend cannot be reached
     */
    CacheBackend create(String alias, BackendSettings settings);
}
