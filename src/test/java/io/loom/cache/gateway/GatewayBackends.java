package io.loom.cache.gateway;

/** The backend behind a gateway, for tests outside this package that close the backends they built. */
public final class GatewayBackends {

    private GatewayBackends() {
    }

    public static CacheBackend of(CacheGateway gateway) {
        return gateway.backend();
    }
}
