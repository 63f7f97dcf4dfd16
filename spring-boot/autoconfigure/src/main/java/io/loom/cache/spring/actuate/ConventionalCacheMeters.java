package io.loom.cache.spring.actuate;

import io.loom.cache.LoomCache;
import io.loom.cache.stats.CacheStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.function.ToLongFunction;

/**
 * Loom's activity under the meter names of Micrometer's cache binders, so dashboards built for
 * Spring's caches work unchanged, one cache per entity ({@code cache=<entity>}, plus
 * {@code cache.manager=loom}): {@code cache.gets} with {@code result=hit} (reads served from the
 * cache) and {@code result=miss} (reads that went to the database), {@code cache.puts} (loads
 * stored) and {@code cache.evictions} (entries found invalidated by a committed write: Loom never
 * evicts by size in Redis, it invalidates). Loom's own {@code loom.cache.*} meters are bound beside
 * these. Entities appear as they are first used.
 */
// Micrometer is optional: this binding is configured only when the application has it.
@SuppressWarnings("exports")
public final class ConventionalCacheMeters implements MeterBinder {

    private final LoomCache cache;

    public ConventionalCacheMeters(LoomCache cache) {
        this.cache = cache;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        cache.metrics().onEntity(entity -> {
            Tags tags = Tags.of("cache", entity, "cache.manager", "loom");
            counter(registry, "cache.gets", tags.and("result", "hit"), entity, CacheStats::hits,
                    "reads served from the cache");
            counter(registry, "cache.gets", tags.and("result", "miss"), entity, CacheStats::misses,
                    "reads that went to the database");
            counter(registry, "cache.puts", tags, entity, CacheStats::stores, "loads stored in the cache");
            counter(registry, "cache.evictions", tags, entity, CacheStats::staleMisses,
                    "entries found invalidated by a committed write");
        });
    }

    private void counter(MeterRegistry registry, String name, Tags tags, String entity,
                         ToLongFunction<CacheStats> value, String description) {
        FunctionCounter.builder(name, cache, c -> value.applyAsLong(c.stats(entity))).tags(tags)
                .description(description).register(registry);
    }
}
