package io.loom.cache.internal.backend;

import io.loom.cache.config.CacheConfigException;
import io.loom.cache.gateway.CacheBackend;
import io.loom.cache.gateway.CacheGateway;
import io.loom.cache.gateway.GatewayMode;
import io.loom.cache.gateway.GenerationStore;
import io.loom.cache.gateway.InvalidCacheArgumentException;
import io.loom.cache.internal.generation.LocalGenerationStore;
import io.loom.cache.internal.generation.RedisGenerationStore;
import io.loom.cache.serialization.MsgpackSerializer;

/**
 * The generation store of a data backend and a counter backend: the Lua-scripted Redis store when
 * both live on one Redis deployment (one round trip per operation), otherwise the in-process store
 * built from the two backends' own operations under one lock.
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
            if (redisData.client().getConfig().isClusterConfig()) {
                requireOneSlot(redisData.namespace(), redisCounters.namespace());
            }
            return new RedisGenerationStore(redisData.client(), redisData.namespace() + ":",
                    redisCounters.namespace() + ":gen:", options.counterTtlFloor(), options.bump());
        }
        CacheGateway counterGateway = CacheGateway.over(counters,
                counters.mode() == GatewayMode.DATA ? MsgpackSerializer.INSTANCE : null);
        // Counters in this process only are moved by this store's clock alone: precise stores.
        return new LocalGenerationStore(data, counterGateway, "gen:", options.clock(), counters instanceof MemoryBackend);
    }

    /*
     * Redis Cluster: the scripts read an entry and its counters in one atomic step, which a cluster
     * allows only within one slot. A hash-tag namespace ({app}) puts every key of the namespace in
     * one slot; without one the cache would fail on its first cross-slot script, so refuse it here.
     */
    private static void requireOneSlot(String dataNamespace, String counterNamespace) {
        String tag = hashTag(dataNamespace);
        if (tag == null || !tag.equals(hashTag(counterNamespace))) {
            throw new CacheConfigException("namespace", "on Redis Cluster the data and "
                    + "counter namespaces must carry the same hash tag, e.g. {myapp}, so entries and their "
                    + "counters share a slot; got '" + dataNamespace + "' and '" + counterNamespace + "'");
        }
    }

    /** The Redis Cluster hash tag of a key prefix: the text between its first '{' and the next '}'. */
    static String hashTag(String prefix) {
        int open = prefix.indexOf('{');
        int close = open < 0 ? -1 : prefix.indexOf('}', open + 1);
        return close > open + 1 ? prefix.substring(open + 1, close) : null;
    }
}
