package io.loom.cache.gateway;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Backend SPI: stores raw values under string keys. A backend works in one {@link GatewayMode}
 * fixed at construction: in {@link GatewayMode#DATA} values are {@code byte[]} (MessagePack), in
 * {@link GatewayMode#COUNTER} values are {@code Long} (Redis: plain integer strings).
 * Serialization is the {@link CacheGateway}'s job, not the backend's.
 *
 * <p>Contract for every implementation: keys are non-null and non-blank; TTLs are {@code null}
 * (no expiry) or positive; bad arguments throw {@link InvalidCacheArgumentException}; a backend
 * that cannot reach its store throws {@link BackendUnavailableException}. Implementations are
 * thread-safe. Async variants complete exceptionally with the same exception types; the default
 * implementations run the synchronous call in the caller's thread.
 */
public interface CacheBackend extends AutoCloseable {

    /** The value representation this backend stores. */
    GatewayMode mode();

    /** Short human-readable description (type and namespace) for logs and errors. */
    String describe();

    /** The raw value ({@code byte[]} or {@code Long}) or null on a miss. */
    Object getValue(String key);

    /**
     * The raw value cast to {@code type} ({@code byte[].class} in data mode, {@code Long.class}
     * in counter mode), or null on a miss.
     */
    default <T> T getValue(String key, Class<T> type) {
        Object raw = getValue(key);
        if (raw != null && !type.isInstance(raw)) {
            throw new InvalidCacheArgumentException("backend in " + mode() + " mode stores "
                    + raw.getClass().getSimpleName() + ", not " + type.getName());
        }
        return type.cast(raw);
    }

    /** Raw values in the order of {@code keys}, null for misses; one round trip. Keys must not be empty. */
    List<Object> multiGetValues(List<String> keys);

    /** True if the key holds a live entry. */
    boolean exists(String key);

    /** Stores a raw value; {@code ttl} null means no expiry. */
    void setValue(String key, Object value, Duration ttl);

    /** Stores every pair with the same TTL (null = no expiry) in one round trip. Pairs must not be empty. */
    void multiSetValues(Map<String, ?> pairs, Duration ttl);

    /** Stores the value only if the key is absent (SET NX); true if it was stored. */
    boolean setIfAbsent(String key, Object value, Duration ttl);

    /**
     * Atomically adds {@code delta} (across threads and processes) and returns the new value. A
     * missing key counts as 0 and is created without expiry; an existing TTL is kept.
     *
     * @throws io.loom.cache.serialization.SerializationException if the key holds a non-integer
     */
    long incr(String key, long delta);

    /** Deletes one key; returns 1 if it existed, else 0. */
    long delete(String key);

    /** Deletes keys (duplicates count once); returns how many actually existed. Keys must not be empty. */
    long deleteMany(Collection<String> keys);

    /**
     * The compound operations of the read, store and commit paths over stamped entries kept in
     * this data backend and generation counters kept in {@code counters} (this backend itself or
     * another alias's): each operation atomic, and one round trip where the backend is remote.
     *
     * @throws InvalidCacheArgumentException when this is not a {@link GatewayMode#DATA} backend
     */
    GenerationStore generationStore(CacheBackend counters, GenerationStore.Options options);

    /** Deletes every entry of this backend's namespace (and nothing outside it). */
    void clear();

    /** Releases resources (a shared Redis client is closed when its last user closes). Idempotent. */
    @Override
    void close();

    default CompletionStage<Object> getValueAsync(String key) {
        return completed(() -> getValue(key));
    }

    default CompletionStage<List<Object>> multiGetValuesAsync(List<String> keys) {
        return completed(() -> multiGetValues(keys));
    }

    default CompletionStage<Boolean> existsAsync(String key) {
        return completed(() -> exists(key));
    }

    default CompletionStage<Void> setValueAsync(String key, Object value, Duration ttl) {
        return completed(() -> {
            setValue(key, value, ttl);
            return null;
        });
    }

    default CompletionStage<Void> multiSetValuesAsync(Map<String, ?> pairs, Duration ttl) {
        return completed(() -> {
            multiSetValues(pairs, ttl);
            return null;
        });
    }

    default CompletionStage<Boolean> setIfAbsentAsync(String key, Object value, Duration ttl) {
        return completed(() -> setIfAbsent(key, value, ttl));
    }

    default CompletionStage<Long> incrAsync(String key, long delta) {
        return completed(() -> incr(key, delta));
    }

    default CompletionStage<Long> deleteAsync(String key) {
        return completed(() -> delete(key));
    }

    default CompletionStage<Long> deleteManyAsync(Collection<String> keys) {
        return completed(() -> deleteMany(keys));
    }

    private static <T> CompletionStage<T> completed(Supplier<T> call) {
        try {
            return CompletableFuture.completedFuture(call.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
