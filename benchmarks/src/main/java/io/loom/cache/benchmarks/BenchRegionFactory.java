package io.loom.cache.benchmarks;

import java.util.Map;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.redisson.hibernate.RedissonRegionFactory;

/**
 * Redisson's Hibernate region factory, unchanged except that its client is configured from two
 * settings instead of a YAML file, so the benchmarks can point it at any Redis (the shared one or
 * the round-trip probe's own server). Codec and everything else stay Redisson's defaults.
 */
public class BenchRegionFactory extends RedissonRegionFactory {

    private static final long serialVersionUID = 1L;

    /** Setting: Redis address, e.g. {@code redis://127.0.0.1:6379}. */
    public static final String REDIS_ADDRESS = "loom.bench.redisson.address";
    /** Setting: connection pool size of the region factory's Redisson client. */
    public static final String POOL_SIZE = "loom.bench.redisson.pool_size";

    @Override
    protected RedissonClient createRedissonClient(StandardServiceRegistry registry, Map properties) {
        Object address = properties.get(REDIS_ADDRESS);
        if (address == null) {
            throw new BenchException("setting " + REDIS_ADDRESS + " is missing");
        }
        int poolSize = Integer.parseInt(String.valueOf(properties.getOrDefault(POOL_SIZE, "16")));
        Config config = new Config();
        config.useSingleServer()
                .setAddress(address.toString())
                .setConnectionPoolSize(poolSize)
                .setConnectionMinimumIdleSize(poolSize);
        return Redisson.create(config);
    }
}
