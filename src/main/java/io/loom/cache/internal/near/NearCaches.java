package io.loom.cache.internal.near;

import com.github.benmanes.caffeine.cache.Ticker;
import io.loom.cache.config.NearCacheMode;
import io.loom.cache.config.NearCacheSettings;
import io.loom.cache.gateway.GenerationStore;
import io.loom.cache.internal.generation.InvalidationChannel;
import io.loom.cache.internal.generation.LeaseChannel;
import io.loom.cache.internal.generation.LocalGenerationStore;

/** Builds the near cache a configuration asks for over one generation store. */
public final class NearCaches {

    private NearCaches() {
    }

    /**
     * The near cache of {@code settings} over {@code store}, or null when it is off. Pushed
     * and leased validation need the Redis store. Over a store whose counters live in this process
     * (the in-memory default) its own bumps feed the near cache's log as they apply, whatever the
     * mode: nothing else moves those counters, so kept values are known current without asking.
     * Over any other store the near cache validates every hit.
     */
    public static NearCache create(NearCacheSettings settings, GenerationStore store) {
        return create(settings, store, Ticker.systemTicker());
    }

    /**
     * {@link #create(NearCacheSettings, GenerationStore)} on {@code ticker}: entry lifetimes, the
     * invalidation stream's lag and the lease are all measured with it (it must be monotonic).
     */
    public static NearCache create(NearCacheSettings settings, GenerationStore store, Ticker ticker) {
        if (!settings.enabled()) {
            return null;
        }
        if (settings.mode() == NearCacheMode.PUSHED && store instanceof InvalidationChannel redis) {
            InvalidationLog log = new InvalidationLog(settings.maxLag().toNanos(), ticker::read);
            RedisInvalidationStream stream = RedisInvalidationStream.start(redis, log, settings.maxLag());
            return new NearCache(settings.maxEntries(), log, ticker, stream);
        }
        if (settings.mode() == NearCacheMode.LEASED && store instanceof LeaseChannel redis) {
            InvalidationLog log = new InvalidationLog(settings.lease().minus(settings.driftMargin()).toNanos(),
                    ticker::read);
            LeaseMembership lease = LeaseMembership.join(redis, settings);
            RedisInvalidationStream stream = RedisInvalidationStream.leased(redis, log, settings.renewal(), lease);
            return new NearCache(settings.maxEntries(), log, ticker, stream,
                    settings.lease().plus(settings.driftMargin()));
        }
        if (store instanceof LocalGenerationStore local && local.countersInProcess()) {
            return new NearCache(settings.maxEntries(), fedBy(local, ticker), ticker, null);
        }
        return new NearCache(settings.maxEntries(), null, ticker, null);
    }

    /*
     * The log of a store whose bumps are the only movers of its counters: always live (no link to
     * lose, no message to miss), trusted from its first position on, and told of each bump after
     * its counters moved, so InvalidationLog's position argument holds as for a node's own bumps.
     */
    private static InvalidationLog fedBy(LocalGenerationStore store, Ticker ticker) {
        InvalidationLog log = new InvalidationLog(Long.MAX_VALUE, ticker::read);
        log.heartbeatReturned(ticker.read());
        log.reset();
        store.addBumpListener(log::invalidate);
        return log;
    }
}
