package io.loom.cache.metrics;

import io.loom.cache.LoomCache;
import io.loom.cache.stats.CacheActivity;
import io.loom.cache.stats.CacheStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.ToDoubleFunction;

/**
 * Publishes a {@link LoomCache}'s activity as Micrometer meters (micrometer-core is an optional
 * dependency: add it to use this class).
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>tags</th><th>meaning ({@link CacheStats})</th></tr>
 * <tr><td>{@code loom.cache.hits}, {@code .near.hits}, {@code .misses}, {@code .stale.misses}, {@code .stores},
 *     {@code .raced.stores}, {@code .oversize.skips}, {@code .bypasses}, {@code .fallbacks}</td>
 *     <td>function counter</td><td>{@code entity}</td><td>per entity</td></tr>
 * <tr><td>{@code loom.cache.loads}</td><td>function timer</td><td>{@code entity}</td><td>database
 *     loads and their total time, per entity</td></tr>
 * <tr><td>{@code loom.cache.total.hits} ... {@code loom.cache.total.loads}</td><td>as above</td>
 *     <td>none</td><td>the same, for the whole cache</td></tr>
 * <tr><td>{@code loom.cache.bumps}, {@code loom.cache.bump.failures}</td><td>function counter</td>
 *     <td>none</td><td>committed transactions whose invalidations were delivered / failed at first</td></tr>
 * <tr><td>{@code loom.cache.stores.skipped}, {@code loom.cache.bypassed}</td><td>function counter</td>
 *     <td>{@code entity}, {@code reason}</td><td>loads not stored / reads that skipped the cache, by
 *     reason (the keys of {@code CacheStats.storesSkipped} / {@code bypassed})</td></tr>
 * <tr><td>{@code loom.cache.circuit.open}</td><td>gauge</td><td>none</td><td>1 while the circuit
 *     breaker is open</td></tr>
 * <tr><td>{@code loom.cache.pending.invalidations}</td><td>gauge</td><td>none</td><td>committed
 *     transactions not delivered yet (0 in normal operation)</td></tr>
 * </table>
 *
 * <p>Entities appear as they are first used; the binder registers their meters then. Extra
 * common tags given to the constructor go on every meter. Thread-safe; bind to any number of
 * registries.
 */
// Micrometer is an optional dependency: an application that binds these meters requires it itself.
@SuppressWarnings("exports")
public final class LoomCacheMetrics implements MeterBinder {

    private final CacheActivity metrics;
    private final IntSupplier pending;
    private final Tags common;

    /** Meters of {@code cache}, with optional extra tags on every meter. */
    public LoomCacheMetrics(LoomCache cache, Tag... tags) {
        this(cache.metrics(), cache::pendingInvalidations, tags);
    }

    /** Meters over raw counters (tests and custom runtimes). */
    public LoomCacheMetrics(CacheActivity metrics, IntSupplier pendingInvalidations, Tag... tags) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.pending = Objects.requireNonNull(pendingInvalidations, "pendingInvalidations");
        this.common = Tags.of(tags);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        register(registry, "loom.cache.total.", common, CacheActivity::snapshot);
        FunctionCounter.builder("loom.cache.bumps", metrics, m -> m.snapshot().bumps()).tags(common)
                .description("committed transactions whose invalidations were delivered").register(registry);
        FunctionCounter.builder("loom.cache.bump.failures", metrics, m -> m.snapshot().bumpFailures()).tags(common)
                .description("committed transactions whose invalidations failed at first").register(registry);
        Gauge.builder("loom.cache.circuit.open", metrics, m -> m.snapshot().circuitOpen() ? 1 : 0).tags(common)
                .description("1 while the circuit breaker sends reads straight to the database").register(registry);
        Gauge.builder("loom.cache.pending.invalidations", pending, IntSupplier::getAsInt).tags(common)
                .description("committed transactions whose invalidations are not delivered yet").register(registry);
        metrics.onEntity(entity -> register(registry, "loom.cache.", common.and("entity", entity),
                m -> m.snapshot(entity)));
    }

    private void register(MeterRegistry registry, String prefix, Tags tags, Function<CacheActivity, CacheStats> stats) {
        counter(registry, prefix + "hits", tags, stats, CacheStats::hits, "reads served from the cache");
        counter(registry, prefix + "near.hits", tags, stats, CacheStats::nearHits,
                "hits served from this node's near cache");
        counter(registry, prefix + "misses", tags, stats, CacheStats::misses, "reads that went to the database");
        counter(registry, prefix + "stale.misses", tags, stats, CacheStats::staleMisses,
                "misses of entries invalidated by a write");
        counter(registry, prefix + "stores", tags, stats, CacheStats::stores, "loads stored in the cache");
        counter(registry, prefix + "raced.stores", tags, stats, CacheStats::racedStores,
                "loads not stored because a write committed while they ran");
        counter(registry, prefix + "oversize.skips", tags, stats, CacheStats::oversizeSkips,
                "loads not stored because they exceed max-value-bytes");
        counter(registry, prefix + "bypasses", tags, stats, CacheStats::bypasses,
                "reads sent to the database while the cache was unavailable or invalidations pending");
        counter(registry, prefix + "fallbacks", tags, stats, CacheStats::fallbacks,
                "cache operations that failed and fell back to the database");
        for (String label : metrics.storeSkipReasons()) {
            counter(registry, prefix + "stores.skipped", tags.and("reason", label), stats,
                    st -> st.storesSkipped().getOrDefault(label, 0L), "loads not stored, by reason");
        }
        for (String label : metrics.bypassReasons()) {
            counter(registry, prefix + "bypassed", tags.and("reason", label), stats,
                    st -> st.bypassed().getOrDefault(label, 0L), "reads that skipped the cache, by reason");
        }
        FunctionTimer.builder(prefix + "loads", metrics, m -> stats.apply(m).loads(),
                        m -> stats.apply(m).loadNanos(), TimeUnit.NANOSECONDS)
                .tags(tags).description("database loads run on misses").register(registry);
    }

    private void counter(MeterRegistry registry, String name, Tags tags, Function<CacheActivity, CacheStats> stats,
                         ToDoubleFunction<CacheStats> value, String description) {
        FunctionCounter.builder(name, metrics, m -> value.applyAsDouble(stats.apply(m)))
                .tags(tags).description(description).register(registry);
    }
}
