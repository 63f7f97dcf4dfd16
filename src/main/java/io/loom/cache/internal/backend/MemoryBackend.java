package io.loom.cache.internal.backend;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.Ticker;
import io.loom.cache.gateway.CacheBackend;
import io.loom.cache.gateway.Checks;
import io.loom.cache.gateway.GatewayMode;
import io.loom.cache.gateway.GenerationStore;
import io.loom.cache.gateway.InvalidCacheArgumentException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentMap;

/**
 * In-process backend on Caffeine: per-entry TTL, optional {@code maxSize} bound (Caffeine's
 * W-TinyLFU eviction), injectable {@link Ticker} for tests. Thread-safe; {@code incr} is an atomic
 * {@code compute} in both modes.
 */
public final class MemoryBackend implements CacheBackend {

    private static final Duration FOREVER = Duration.ofNanos(Long.MAX_VALUE);

    private final GatewayMode mode;
    private final Long maxSize;
    private final Cache<String, Object> cache;
    private final Policy.VarExpiration<String, Object> expiration;

    /** An unbounded backend on the system ticker. */
    public MemoryBackend(GatewayMode mode) {
        this(mode, null, Ticker.systemTicker());
    }

    /**
     * @param mode    value representation, never null
     * @param maxSize maximum number of entries, null = unbounded
     * @param ticker  time source for expiry, never null
     */
    public MemoryBackend(GatewayMode mode, Long maxSize, Ticker ticker) {
        this.mode = Objects.requireNonNull(mode, "mode");
        if (maxSize != null && maxSize <= 0) {
            throw new InvalidCacheArgumentException("maxSize must be positive or null, got " + maxSize);
        }
        this.maxSize = maxSize;
        Caffeine<String, Object> builder = Caffeine.newBuilder()
                .ticker(Objects.requireNonNull(ticker, "ticker"))
                .executor(Runnable::run)
                .expireAfter(new KeepOrNever());
        if (maxSize != null) {
            builder.maximumSize(maxSize);
        }
        this.cache = builder.build();
        this.expiration = cache.policy().expireVariably().orElseThrow();
    }

    /**
     * Internal: the live map view of this cache, for atomic operations of the invalidation layer.
     * Values are {@code byte[]} (MessagePack) in data mode and {@code Long} in counter mode.
     * Entries created through this map never expire; updates keep the entry's remaining TTL.
     */
    public ConcurrentMap<String, Object> map() {
        return cache.asMap();
    }

    /** Approximate number of live entries. */
    public long estimatedSize() {
        return cache.estimatedSize();
    }

    /** Runs pending eviction and expiry work now (deterministic tests). */
    public void cleanUp() {
        cache.cleanUp();
    }

    /** The configured bound, or null if unbounded. */
    public Long maxSize() {
        return maxSize;
    }

    @Override
    public GatewayMode mode() {
        return mode;
    }

    @Override
    public String describe() {
        return "memory(" + mode.name().toLowerCase() + (maxSize == null ? "" : ", maxSize=" + maxSize) + ")";
    }

    @Override
    public Object getValue(String key) {
        return cache.getIfPresent(Checks.key(key));
    }

    @Override
    public List<Object> multiGetValues(List<String> keys) {
        Checks.keys(keys);
        List<Object> out = new ArrayList<>(keys.size());
        for (String k : keys) {
            out.add(cache.getIfPresent(k));
        }
        return out;
    }

    @Override
    public boolean exists(String key) {
        return cache.policy().getIfPresentQuietly(Checks.key(key)) != null;
    }

    @Override
    public void setValue(String key, Object value, Duration ttl) {
        Checks.key(key);
        Checks.ttl(ttl);
        expiration.put(key, Checks.raw(mode, key, value), ttl == null ? FOREVER : ttl);
    }

    @Override
    public void multiSetValues(Map<String, ?> pairs, Duration ttl) {
        Checks.pairs(pairs);
        Checks.ttl(ttl);
        pairs.forEach((k, v) -> Checks.raw(mode, k, v));
        pairs.forEach((k, v) -> expiration.put(k, Checks.raw(mode, k, v), ttl == null ? FOREVER : ttl));
    }

    @Override
    public boolean setIfAbsent(String key, Object value, Duration ttl) {
        Checks.key(key);
        Checks.ttl(ttl);
        return expiration.putIfAbsent(key, Checks.raw(mode, key, value), ttl == null ? FOREVER : ttl) == null;
    }

    @Override
    public long incr(String key, long delta) {
        Checks.key(key);
        Object result;
        if (mode == GatewayMode.COUNTER) {
            result = cache.asMap().merge(key, delta, (old, d) -> Math.addExact((Long) old, (Long) d));
            return (Long) result;
        }
        result = cache.asMap().compute(key, (k, old) -> MsgpackIntegers.encode(
                Math.addExact(old == null ? 0L : MsgpackIntegers.decode(k, (byte[]) old), delta)));
        return MsgpackIntegers.decode(key, (byte[]) result);
    }

    @Override
    public long delete(String key) {
        return cache.asMap().remove(Checks.key(key)) != null ? 1 : 0;
    }

    @Override
    public long deleteMany(Collection<String> keys) {
        Checks.keys(keys);
        long deleted = 0;
        for (String k : new LinkedHashSet<>(keys)) {
            if (cache.asMap().remove(k) != null) {
                deleted++;
            }
        }
        return deleted;
    }

    @Override
    public GenerationStore generationStore(CacheBackend counters, GenerationStore.Options options) {
        return GenerationStores.over(this, counters, options);
    }

    @Override
    public void clear() {
        cache.invalidateAll();
    }

    @Override
    public void close() {
        cache.invalidateAll();
        cache.cleanUp();
    }

    /** Explicit puts carry their own TTL; map-created entries never expire; updates keep the TTL. */
    private static final class KeepOrNever implements Expiry<String, Object> {
        @Override
        public long expireAfterCreate(String key, Object value, long currentTime) {
            return Long.MAX_VALUE;
        }

        @Override
        public long expireAfterUpdate(String key, Object value, long currentTime, long currentDuration) {
            return currentDuration;
        }

        @Override
        public long expireAfterRead(String key, Object value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
