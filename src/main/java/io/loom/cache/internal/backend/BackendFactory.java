package io.loom.cache.internal.backend;

import com.github.benmanes.caffeine.cache.Ticker;
import io.loom.cache.config.BackendSettings;
import io.loom.cache.config.BackendType;
import io.loom.cache.gateway.CacheBackend;
import io.loom.cache.gateway.CacheBackendProvider;
import io.loom.cache.gateway.GatewayMode;
import org.redisson.api.RedissonClient;

import java.util.Objects;

/** Internal: builds the backend an alias's settings describe; the mode follows from the serializer. */
public final class BackendFactory {

    private BackendFactory() {
    }

    /** The mode of a gateway on these settings: DATA with a serializer, COUNTER without. */
    public static GatewayMode modeOf(BackendSettings settings) {
        return settings.hasSerializer() ? GatewayMode.DATA : GatewayMode.COUNTER;
    }

    /**
     * The provider of a cache's aliases: Redis aliases use {@code client} when one is given (the
     * application's own; closing a backend leaves it open), otherwise each leases a shared client
     * from its settings.
     */
    public static CacheBackendProvider provider(RedissonClient client) {
        if (client == null) {
            return BackendFactory::create;
        }
        return (alias, settings) -> settings.type() == BackendType.REDIS
                ? new RedissonBackend(client, settings.effectiveNamespace(alias), modeOf(settings), () -> { })
                : create(alias, settings);
    }

    /**
     * Builds a backend. Redis backends lease a shared client (see {@link SharedRedissonClients});
     * closing the backend releases the lease.
     */
    public static CacheBackend create(String alias, BackendSettings settings) {
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(settings, "settings");
        GatewayMode mode = modeOf(settings);
        return switch (settings.type()) {
            case MEMORY -> new MemoryBackend(mode, settings.maxSize(), Ticker.systemTicker());
            case REDIS -> {
                SharedRedissonClients.Lease lease = SharedRedissonClients.acquire(alias, settings);
                yield new RedissonBackend(lease.client(), settings.effectiveNamespace(alias), mode, lease::release);
            }
        };
    }
}
