package io.loom.cache.internal.backend;

import io.loom.cache.config.BackendSettings;
import io.loom.cache.gateway.CacheBackend;
import io.loom.cache.gateway.CacheBackendProvider;

/** The library's memory and Redis backends, offered to the gateway's alias registry as a service. */
public final class BuiltInBackends implements CacheBackendProvider {

    @Override
    public CacheBackend create(String alias, BackendSettings settings) {
        return BackendFactory.create(alias, settings);
    }
}
