package io.loom.cache.stats;

import java.util.Set;
import java.util.function.Consumer;

/**
 * The live activity counters of one cache, in total and per entity: what a metrics binding
 * (Micrometer, Actuator) reads. Implementations are thread-safe.
 */
public interface CacheActivity {

    /** Counters of every entity together, now. */
    CacheStats snapshot();

    /** Counters of one entity (normalized name), now; zeros for an entity never seen. */
    CacheStats snapshot(String entity);

    /**
     * Calls {@code listener} with every entity that has counters now and with each entity that gets
     * counters later (once per entity, on the thread counting its first event; it must not block).
     * An entity may be reported twice if it appears while the listener is being added.
     */
    void onEntity(Consumer<String> listener);

    /** Every reason label {@link CacheStats#storesSkipped()} may count, counted or not. */
    Set<String> storeSkipReasons();

    /** Every reason label {@link CacheStats#bypassed()} may count, counted or not. */
    Set<String> bypassReasons();
}
