package io.loom.cache.testing;

import io.loom.cache.config.BackendSettings;
import io.loom.cache.config.BackendType;
import io.loom.cache.config.CacheConfig;
import io.loom.cache.gateway.CacheBackend;
import io.loom.cache.gateway.GatewayMode;
import io.loom.cache.gateway.GenerationStore;
import io.loom.cache.internal.backend.BackendFactory;
import io.loom.cache.internal.backend.MemoryBackend;
import io.loom.cache.internal.generation.RedisGenerationStore;
import io.loom.cache.serialization.MsgpackSerializer;
import org.redisson.api.RedissonClient;

import java.time.Clock;

/**
 * Generation stores for tests, built the way {@code LoomCache} builds them: a data backend's
 * {@link CacheBackend#generationStore} over the counter backend, with the default options.
 */
public final class TestStores {

    private static final GenerationStore.Options OPTIONS = GenerationStore.Options.of(CacheConfig.defaults(),
            Clock.systemUTC());

    private TestStores() {
    }

    /** Entries and counters in one new memory backend (the zero-setup default). */
    public static GenerationStore memory() {
        return memory(new MemoryBackend(GatewayMode.DATA));
    }

    /** Entries and counters in {@code backend} (a data memory backend a test also reads directly). */
    public static GenerationStore memory(CacheBackend backend) {
        return backend.generationStore(backend, OPTIONS);
    }

    /** Entries in {@code entries}, counters in a separate counter backend (a counter alias). */
    public static GenerationStore memory(CacheBackend entries, CacheBackend counters) {
        return entries.generationStore(counters, OPTIONS);
    }

    /**
     * The Lua-scripted store of a Redis alias of {@code namespace} on {@code client} (entries under
     * {@code namespace:}, counters under {@code namespace:gen:}); the client stays the caller's.
     */
    public static RedisGenerationStore redis(RedissonClient client, String namespace) {
        BackendSettings settings = BackendSettings.builder(BackendType.REDIS).serializer(MsgpackSerializer.NAME)
                .namespace(namespace).build();
        CacheBackend data = BackendFactory.provider(client).create("default", settings);
        return (RedisGenerationStore) data.generationStore(data, OPTIONS);
    }
}
