package io.loom.cache.gateway;

import io.loom.cache.serialization.MsgpackSerializer;
import io.loom.cache.serialization.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * How one gateway turns values into its backend's raw values and back: MessagePack bytes within
 * the size limit in data mode, longs in counter mode; an entry that does not decode is a miss
 * (logged and deleted).
 */
final class GatewayCodec {

    private static final Logger LOG = LoggerFactory.getLogger(CacheGateway.class);

    private final String alias;
    private final CacheBackend backend;
    private final MsgpackSerializer serializer;
    private final GatewayMode mode;
    private final long maxValueBytes;

    GatewayCodec(String alias, CacheBackend backend, MsgpackSerializer serializer, GatewayMode mode,
                 long maxValueBytes) {
        this.alias = alias;
        this.backend = backend;
        this.serializer = serializer;
        this.mode = mode;
        this.maxValueBytes = maxValueBytes;
    }

    /** The failure an async backend call completed with, without its CompletionException wrapper. */
    static Throwable cause(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** Rethrows an async failure that is no decoding problem. */
    static RuntimeException rethrown(Throwable cause) {
        return cause instanceof RuntimeException re ? re : new CompletionException(cause);
    }

    void encodeAll(Map<String, ?> pairs, Map<String, Object> raw, List<String> oversized) {
        pairs.forEach((k, v) -> {
            Object r = encode(k, v);
            if (r == null) {
                oversized.add(k);
            } else {
                raw.put(k, r);
            }
        });
    }

    /** Raw value for the backend, or null if the encoding is over the size limit. */
    Object encode(String key, Object value) {
        if (value == null) {
            throw new InvalidCacheArgumentException("cache value for key '" + key + "' must not be null");
        }
        if (mode == GatewayMode.COUNTER) {
            return Checks.raw(mode, key, value);
        }
        byte[] bytes = serializer.dumps(value);
        if (bytes.length > maxValueBytes) {
            LOG.debug("Not caching key {} in alias {}: {} bytes exceed max-value-bytes {}",
                    key, alias, bytes.length, maxValueBytes);
            return null;
        }
        return bytes;
    }

    <T> List<T> decodeAll(List<String> keys, List<Object> raw, Class<T> type) {
        List<T> out = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            out.add(decode(keys.get(i), raw.get(i), type));
        }
        return out;
    }

    <T> T decode(String key, Object raw, Class<T> type) {
        if (raw == null) {
            return null;
        }
        if (mode == GatewayMode.COUNTER) {
            return convertCounter(key, (Long) raw, type);
        }
        try {
            return serializer.loads((byte[]) raw, type);
        } catch (SerializationException e) {
            dropUndecodable(key, type, e);
            return null;
        }
    }

    /** Treats an undecodable entry as a miss: logs a warning and deletes it (best effort). */
    void dropUndecodable(String key, Class<?> type, SerializationException e) {
        LOG.warn("Dropping undecodable cache entry '{}' in alias {} (as {}): {}",
                key, alias, type.getSimpleName(), e.getMessage());
        try {
            backend.delete(key);
        } catch (BackendUnavailableException deleteFailed) {
            LOG.warn("Could not delete undecodable entry '{}' in alias {}: {}", key, alias, deleteFailed.getMessage());
        }
    }

    private static <T> T convertCounter(String key, Long value, Class<T> type) {
        Object out;
        if (type == Object.class || type == Long.class || type == long.class || type == Number.class) {
            out = value;
        } else if (type == Integer.class || type == int.class) {
            out = Math.toIntExact(value);
        } else if (type == String.class) {
            out = value.toString();
        } else {
            throw new InvalidCacheArgumentException("counter value at key '" + key + "' cannot be read as "
                    + type.getName() + " (use Long)");
        }
        @SuppressWarnings("unchecked")
        T t = (T) out;
        return t;
    }
}
