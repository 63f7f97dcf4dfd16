package io.loom.cache.internal.backend;

import io.loom.cache.gateway.CacheBackend;
import io.loom.cache.gateway.CacheGateway;
import io.loom.cache.gateway.GatewayMode;
import io.loom.cache.gateway.GenerationStore;
import io.loom.cache.gateway.InvalidCacheArgumentException;
import io.loom.cache.internal.cluster.ClusterGenerationStore;
import io.loom.cache.internal.generation.LocalGenerationStore;
import io.loom.cache.internal.generation.RedisGenerationStore;
import io.loom.cache.serialization.MsgpackSerializer;

/**
 * The generation store of a data backend and a counter backend: the Lua-scripted Redis store when
 * both live on one Redis deployment (one round trip per operation; on Redis Cluster when the
 * namespaces share a hash tag, so everything is in one slot), the cluster store when they are
 * spread over a cluster's slots, otherwise the in-process store built from the two backends' own
 * operations under one lock.
 */
final class GenerationStores {

    private GenerationStores() {
    }

    static GenerationStore over(CacheBackend data, CacheBackend counters, GenerationStore.Options options) {
        if (data.mode() != GatewayMode.DATA) {
            throw new InvalidCacheArgumentException("stamped entries need a DATA backend, got " + data.describe());
        }
        if (data instanceof RedissonBackend redisData && counters instanceof RedissonBackend redisCounters
                && redisData.client() == redisCounters.client()) {
            String tag = hashTag(redisData.namespace());
            if (redisData.client().getConfig().isClusterConfig()
                    && (tag == null || !tag.equals(hashTag(redisCounters.namespace())))) {
                // Keys spread over every slot; a shared hash tag keeps them in one slot instead.
                return new ClusterGenerationStore(redisData.client(), redisData.namespace() + ":",
                        redisCounters.namespace() + ":gen:", options.counterTtlFloor(), options.bump());
            }
            return new RedisGenerationStore(redisData.client(), redisData.namespace() + ":",
                    redisCounters.namespace() + ":gen:", options.counterTtlFloor(), options.bump());
        }
        CacheGateway counterGateway = CacheGateway.over(counters,
                counters.mode() == GatewayMode.DATA ? MsgpackSerializer.INSTANCE : null);
        // Counters in this process only are moved by this store's clock alone: precise stores.
        return new LocalGenerationStore(data, counterGateway, "gen:", options.clock(), counters instanceof MemoryBackend);
    }

    /** The Redis Cluster hash tag of a key prefix: the text between its first '{' and the next '}'. */
    static String hashTag(String prefix) {
        int open = prefix.indexOf('{');
        int close = open < 0 ? -1 : prefix.indexOf('}', open + 1);
        return close > open + 1 ? prefix.substring(open + 1, close) : null;
    }
}
