package io.loom.cache.benchmarks;

import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * Redis clients and clean-up for the benchmarks. Clean-up deletes only keys that contain the
 * benchmarks' prefix (Redisson's auxiliary keys embed it inside braces); never FLUSHALL.
 */
final class RedisKeys {

    private RedisKeys() {
    }

    /** A Redisson client on the configured Redis; the caller shuts it down. */
    static RedissonClient client(BenchSettings settings, int poolSize) {
        Config config = new Config();
        config.useSingleServer()
                .setAddress(settings.redisAddress())
                .setConnectionPoolSize(poolSize)
                .setConnectionMinimumIdleSize(poolSize);
        return Redisson.create(config);
    }

    /**
     * Deletes every key containing {@code settings.keyPrefix() + section} (e.g. {@code loom-bench:2lc});
     * returns how many.
     */
    static long deleteAll(BenchSettings settings, String section) {
        RedissonClient client = client(settings, 2);
        try {
            return deleteAll(client, settings, section);
        } finally {
            client.shutdown();
        }
    }

    static long deleteAll(RedissonClient client, BenchSettings settings, String section) {
        String prefix = settings.keyPrefix() + section;
        if (settings.keyPrefix().isEmpty() || prefix.matches(".*[*?\\[\\]\\\\].*")) {
            throw new BenchException("refusing to delete keys by the prefix '" + prefix + "'");
        }
        return client.getKeys().deleteByPattern("*" + prefix + "*");
    }
}
