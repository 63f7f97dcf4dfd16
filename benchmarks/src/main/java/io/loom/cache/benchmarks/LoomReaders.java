package io.loom.cache.benchmarks;

import io.loom.cache.LoomCache;
import io.loom.cache.config.CacheConfigLoader;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place where Loom is plugged into the benchmarks: the {@code loom.cache.*} properties of
 * {@link Implementation#LOOM_REDIS}, {@link Implementation#LOOM_REDIS_PUSHED},
 * {@link Implementation#LOOM_REDIS_LEASED} and
 * {@link Implementation#LOOM_MEMORY}, handed to a
 * {@link LoomReader} (an entity manager factory with Loom's integrator, {@code JpaEntityRepository}
 * for {@link BenchBook} wrapped by {@code LoomHibernate.wrap}).
 */
final class LoomReaders {

    /** Namespace section under {@link BenchSettings#keyPrefix()}: Loom keys are {@code loom-bench:loom:...}. */
    static final String NAMESPACE_SECTION = "loom";

    /** System property overriding {@code near-cache.max-lag} (milliseconds) of {@code LOOM_REDIS_PUSHED}. */
    static final String NEAR_MAX_LAG_PROPERTY = "loom.bench.nearMaxLag";

    /**
     * System property with further {@code key=value} Loom properties for both Loom implementations,
     * separated by {@code ;} (e.g. {@code loom.hibernate.outbox=false}), for experiments.
     */
    static final String EXTRA_PROPERTIES = "loom.bench.loomProperties";

    /**
     * System property: "false" leaves out the second, in-process node of {@code LOOM_REDIS_LEASED}
     * (a benchmark that starts its other nodes as processes of their own).
     */
    static final String IN_PROCESS_PEER = "loom.bench.inProcessPeer";

    /** Entry time to live: longer than any trial, as the anchors' entries never expire either. */
    private static final String TTL_SECONDS = "3600";

    private LoomReaders() {
    }

    static EntityReader create(Implementation implementation, BenchSettings settings, int maxThreads) {
        Map<String, Object> properties = properties(implementation, settings);
        LoomReader reader = new LoomReader(settings, maxThreads, properties, implementation);
        if (implementation == Implementation.LOOM_REDIS_LEASED
                && Boolean.parseBoolean(System.getProperty(IN_PROCESS_PEER, "true"))) {
            // A second node on the namespace: its lease makes every commit wait for its acknowledgement.
            reader.addPeer(LoomCache.create(CacheConfigLoader.fromProperties(properties)));
        }
        return reader;
    }

    /** The Loom properties of one implementation, as an application would put them in persistence.xml. */
    static Map<String, Object> properties(Implementation implementation, BenchSettings settings) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("loom.cache.default-ttl", TTL_SECONDS);
        p.put("loom.cache.default-list-ttl", TTL_SECONDS);
        switch (implementation) {
            case LOOM_REDIS, LOOM_REDIS_PUSHED, LOOM_REDIS_LEASED -> {
                p.put("loom.cache.backends.default.type", "redis");
                p.put("loom.cache.backends.default.serializer", "msgpack");
                p.put("loom.cache.backends.default.address", settings.redisAddress());
                p.put("loom.cache.backends.default.namespace", settings.keyPrefix() + NAMESPACE_SECTION);
                // Redisson's default command timeout, as the 2LC anchor's client has.
                p.put("loom.cache.backends.default.timeout", "3000");
                // The near cache holds the whole table and its pages, as the 2LC regions do.
                p.put("loom.cache.near-cache.max-entries", "20000");
                if (implementation == Implementation.LOOM_REDIS_PUSHED) {
                    p.put("loom.cache.near-cache.mode", "pushed");
                    p.put("loom.cache.near-cache.max-lag", System.getProperty(NEAR_MAX_LAG_PROPERTY, "200"));
                }
                if (implementation == Implementation.LOOM_REDIS_LEASED) {
                    p.put("loom.cache.near-cache.mode", "leased");
                }
            }
            case LOOM_MEMORY -> {
                // The in-memory default: no backend settings at all.
            }
            default -> throw new IllegalArgumentException(implementation + " is not a Loom implementation");
        }
        for (String pair : System.getProperty(EXTRA_PROPERTIES, "").split(";")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                p.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
            } else if (!pair.isBlank()) {
                throw new IllegalArgumentException(EXTRA_PROPERTIES + ": expected key=value, got '" + pair + "'");
            }
        }
        return p;
    }
}
