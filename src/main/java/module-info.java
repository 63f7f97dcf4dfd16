/**
 * Loom Cache core: cache-aside reads with generational, commit-driven invalidation.
 *
 * <p>Exported: the composition root ({@code io.loom.cache}), its configuration, the repository and
 * invalidation contracts, the gateway SPI, serialization, statistics and the Micrometer binding.
 * Not exported: every {@code internal} package (among them the cache-aside implementations behind
 * {@code LoomCache.wrap}).
 */
module io.loom.cache {
    requires transitive redisson;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires msgpack.core;
    requires jackson.dataformat.msgpack;
    requires com.github.benmanes.caffeine;
    requires org.slf4j;
    requires org.yaml.snakeyaml;
    requires static micrometer.core;

    exports io.loom.cache;
    exports io.loom.cache.config;
    exports io.loom.cache.declarative;
    exports io.loom.cache.error;
    exports io.loom.cache.gateway;
    exports io.loom.cache.invalidation;
    exports io.loom.cache.metrics;
    exports io.loom.cache.repository;
    exports io.loom.cache.serialization;
    exports io.loom.cache.stats;

    uses io.loom.cache.gateway.CacheBackendProvider;
    provides io.loom.cache.gateway.CacheBackendProvider with io.loom.cache.internal.backend.BuiltInBackends;
}
