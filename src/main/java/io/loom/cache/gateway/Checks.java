package io.loom.cache.gateway;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Argument checks of the gateway contract, shared by the gateway and every {@link CacheBackend}
 * implementation, so a backend rejects bad input with the same typed exception.
 */
public final class Checks {

    private Checks() {
    }

    /** @throws InvalidCacheArgumentException if the key is null or blank */
    public static String key(String key) {
        if (key == null) {
            throw new InvalidCacheArgumentException("cache key must not be null");
        }
        if (key.isBlank()) {
            throw new InvalidCacheArgumentException("cache key must not be blank, got '" + key + "'");
        }
        return key;
    }

    /** @throws InvalidCacheArgumentException if the list is null or empty or holds a bad key */
    public static <C extends Collection<String>> C keys(C keys) {
        if (keys == null) {
            throw new InvalidCacheArgumentException("cache key list must not be null");
        }
        if (keys.isEmpty()) {
            throw new InvalidCacheArgumentException("cache key list must not be empty");
        }
        for (String k : keys) {
            key(k);
        }
        return keys;
    }

    /** @throws InvalidCacheArgumentException if the map is null or empty or holds a bad key */
    public static <M extends Map<String, ?>> M pairs(M pairs) {
        if (pairs == null) {
            throw new InvalidCacheArgumentException("cache entries must not be null");
        }
        if (pairs.isEmpty()) {
            throw new InvalidCacheArgumentException("cache entries must not be empty");
        }
        pairs.keySet().forEach(Checks::key);
        return pairs;
    }

    /** @throws InvalidCacheArgumentException if the TTL is zero or negative (null = no expiry is fine) */
    public static Duration ttl(Duration ttl) {
        if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
            throw new InvalidCacheArgumentException("ttl must be positive or null (no expiry), got " + ttl);
        }
        return ttl;
    }

    /** Normalizes a raw value for a backend in {@code mode}: {@code byte[]} for data, {@code Long} for counters. */
    public static Object raw(GatewayMode mode, String key, Object value) {
        if (value == null) {
            throw new InvalidCacheArgumentException("cache value for key '" + key + "' must not be null");
        }
        if (mode == GatewayMode.DATA) {
            if (value instanceof byte[]) {
                return value;
            }
            throw new InvalidCacheArgumentException("data backend stores byte[], got "
                    + value.getClass().getName() + " for key '" + key + "'");
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        throw new InvalidCacheArgumentException("counter backend stores integers, got "
                + value.getClass().getName() + " for key '" + key + "'");
    }

    /** Validates a key list and returns it as a list. */
    public static List<String> keyList(List<String> keys) {
        return keys(keys);
    }
}
