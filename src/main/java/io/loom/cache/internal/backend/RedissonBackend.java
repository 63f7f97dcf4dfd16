package io.loom.cache.internal.backend;

import io.loom.cache.gateway.CacheBackend;
import io.loom.cache.gateway.Checks;
import io.loom.cache.gateway.GatewayMode;
import io.loom.cache.gateway.GenerationStore;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.codec.Codec;
import org.redisson.client.codec.LongCodec;
import org.redisson.client.codec.StringCodec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Redis backend on Redisson. Every gateway key is stored under {@code <namespace>:<key>}. Data
 * mode stores the MessagePack bytes verbatim ({@link ByteArrayCodec}); counter mode stores plain
 * integer strings ({@link LongCodec}), so {@code INCRBY} and Lua scripts read them directly.
 * Single-key calls are one command; multi-get is one {@code MGET}; multi-set is one pipelined
 * batch. {@code incr} is {@code INCRBY} in counter mode and a Lua script (decode, add, re-encode
 * with {@code KEEPTTL}) in data mode, both atomic across processes. Failures surface through
 * {@link RedisFailures}. Thread-safe.
 */
public final class RedissonBackend implements CacheBackend {

    private static final String DATA_INCR = """
            local v = redis.call('GET', KEYS[1])
            local n = 0
            if v then
              local ok, d = pcall(cmsgpack.unpack, v)
              if not ok or type(d) ~= 'number' then return redis.error_reply('%s') end
              n = d
            end
            n = n + tonumber(ARGV[1])
            if v then
              redis.call('SET', KEYS[1], cmsgpack.pack(n), 'KEEPTTL')
            else
              redis.call('SET', KEYS[1], cmsgpack.pack(n))
            end
            return n
            """.formatted(RedisFailures.NOT_INTEGER);
    private static final int CLEAR_CHUNK = 500;

    private final RedissonClient client;
    private final String namespace;
    private final String prefix;
    private final GatewayMode mode;
    private final Codec codec;
    private final Runnable onClose;
    private final String description;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param client    Redisson client, never null; not owned unless {@code onClose} shuts it down
     * @param namespace key prefix, never blank; keys become {@code namespace + ":" + key}
     * @param mode      value representation
     * @param onClose   run once by {@link #close()} (e.g. release a shared client lease), may be null
     */
    public RedissonBackend(RedissonClient client, String namespace, GatewayMode mode, Runnable onClose) {
        this.client = Objects.requireNonNull(client, "client");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        if (namespace.isBlank()) {
            throw new IllegalArgumentException("namespace must not be blank");
        }
        this.prefix = namespace + ":";
        this.mode = Objects.requireNonNull(mode, "mode");
        this.codec = mode == GatewayMode.DATA ? ByteArrayCodec.INSTANCE : LongCodec.INSTANCE;
        this.onClose = onClose;
        this.description = "redis(" + namespace + ", " + mode.name().toLowerCase() + ")";
    }

    /** Internal: the underlying client, for the library's own Lua scripts. */
    public RedissonClient client() {
        return client;
    }

    /** Internal: the Redis key that stores gateway key {@code key}. */
    public String key(String key) {
        return prefix + Checks.key(key);
    }

    /** The namespace (key prefix without the trailing colon). */
    public String namespace() {
        return namespace;
    }

    /** The codec of stored values: {@link ByteArrayCodec} (data) or {@link LongCodec} (counter). */
    public Codec codec() {
        return codec;
    }

    @Override
    public GatewayMode mode() {
        return mode;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public Object getValue(String key) {
        String k = key(key);
        return RedisFailures.call(description, () -> client.getBucket(k, codec).get());
    }

    @Override
    public CompletionStage<Object> getValueAsync(String key) {
        String k = key(key);
        return RedisFailures.async(description, () -> client.getBucket(k, codec).getAsync());
    }

    @Override
    public List<Object> multiGetValues(List<String> keys) {
        String[] nsKeys = namespaced(keys);
        Map<String, Object> found = RedisFailures.call(description, () -> client.getBuckets(codec).get(nsKeys));
        return ordered(nsKeys, found);
    }

    @Override
    public CompletionStage<List<Object>> multiGetValuesAsync(List<String> keys) {
        String[] nsKeys = namespaced(keys);
        return RedisFailures.<Map<String, Object>>async(description, () -> client.getBuckets(codec).getAsync(nsKeys))
                .thenApply(found -> ordered(nsKeys, found));
    }

    @Override
    public boolean exists(String key) {
        String k = key(key);
        return RedisFailures.call(description, () -> client.getKeys().countExists(k)) > 0;
    }

    @Override
    public CompletionStage<Boolean> existsAsync(String key) {
        String k = key(key);
        return RedisFailures.async(description, () -> client.getKeys().countExistsAsync(k)).thenApply(n -> n > 0);
    }

    @Override
    public void setValue(String key, Object value, Duration ttl) {
        String k = key(key);
        Object raw = Checks.raw(mode, key, value);
        Duration t = redisTtl(ttl);
        RedisFailures.run(description, () -> {
            if (t == null) {
                client.getBucket(k, codec).set(raw);
            } else {
                client.getBucket(k, codec).set(raw, t);
            }
        });
    }

    @Override
    public CompletionStage<Void> setValueAsync(String key, Object value, Duration ttl) {
        String k = key(key);
        Object raw = Checks.raw(mode, key, value);
        Duration t = redisTtl(ttl);
        return RedisFailures.async(description, () -> t == null
                ? client.getBucket(k, codec).setAsync(raw)
                : client.getBucket(k, codec).setAsync(raw, t));
    }

    @Override
    public void multiSetValues(Map<String, ?> pairs, Duration ttl) {
        Map<String, Object> raw = rawPairs(pairs);
        Duration t = redisTtl(ttl);
        RedisFailures.run(description, () -> {
            if (t == null) {
                client.getBuckets(codec).set(raw);
            } else {
                batchSet(raw, t).execute();
            }
        });
    }

    @Override
    public CompletionStage<Void> multiSetValuesAsync(Map<String, ?> pairs, Duration ttl) {
        Map<String, Object> raw = rawPairs(pairs);
        Duration t = redisTtl(ttl);
        if (t == null) {
            return RedisFailures.async(description, () -> client.getBuckets(codec).setAsync(raw));
        }
        return RedisFailures.async(description, () -> batchSet(raw, t).executeAsync()).thenApply(r -> null);
    }

    private RBatch batchSet(Map<String, Object> raw, Duration ttl) {
        RBatch batch = client.createBatch(BatchOptions.defaults());
        raw.forEach((k, v) -> batch.getBucket(k, codec).setAsync(v, ttl));
        return batch;
    }

    @Override
    public boolean setIfAbsent(String key, Object value, Duration ttl) {
        String k = key(key);
        Object raw = Checks.raw(mode, key, value);
        Duration t = redisTtl(ttl);
        return RedisFailures.call(description, () -> t == null
                ? client.getBucket(k, codec).setIfAbsent(raw)
                : client.getBucket(k, codec).setIfAbsent(raw, t));
    }

    @Override
    public CompletionStage<Boolean> setIfAbsentAsync(String key, Object value, Duration ttl) {
        String k = key(key);
        Object raw = Checks.raw(mode, key, value);
        Duration t = redisTtl(ttl);
        return RedisFailures.async(description, () -> t == null
                ? client.getBucket(k, codec).setIfAbsentAsync(raw)
                : client.getBucket(k, codec).setIfAbsentAsync(raw, t));
    }

    @Override
    public long incr(String key, long delta) {
        String k = key(key);
        if (mode == GatewayMode.COUNTER) {
            return RedisFailures.call(description, () -> client.getAtomicLong(k).addAndGet(delta));
        }
        Long result = RedisFailures.call(description, () -> client.getScript(StringCodec.INSTANCE)
                .eval(k, RScript.Mode.READ_WRITE, DATA_INCR, RScript.ReturnType.LONG,
                        List.of(k), String.valueOf(delta)));
        return result;
    }

    @Override
    public CompletionStage<Long> incrAsync(String key, long delta) {
        String k = key(key);
        if (mode == GatewayMode.COUNTER) {
            return RedisFailures.async(description, () -> client.getAtomicLong(k).addAndGetAsync(delta));
        }
        return RedisFailures.async(description, () -> client.getScript(StringCodec.INSTANCE)
                .<Long>evalAsync(k, RScript.Mode.READ_WRITE, DATA_INCR, RScript.ReturnType.LONG,
                        List.of(k), String.valueOf(delta)));
    }

    @Override
    public long delete(String key) {
        String k = key(key);
        return RedisFailures.call(description, () -> client.getKeys().delete(k));
    }

    @Override
    public CompletionStage<Long> deleteAsync(String key) {
        String k = key(key);
        return RedisFailures.async(description, () -> client.getKeys().deleteAsync(k));
    }

    @Override
    public long deleteMany(Collection<String> keys) {
        String[] nsKeys = namespaced(new ArrayList<>(new LinkedHashSet<>(Checks.keys(keys))));
        return RedisFailures.call(description, () -> client.getKeys().delete(nsKeys));
    }

    @Override
    public CompletionStage<Long> deleteManyAsync(Collection<String> keys) {
        String[] nsKeys = namespaced(new ArrayList<>(new LinkedHashSet<>(Checks.keys(keys))));
        return RedisFailures.async(description, () -> client.getKeys().deleteAsync(nsKeys));
    }

    @Override
    public GenerationStore generationStore(CacheBackend counters, GenerationStore.Options options) {
        return GenerationStores.over(this, counters, options);
    }

    /** Deletes every key under {@code <namespace>:} with SCAN + UNLINK in chunks; other keys are untouched. */
    @Override
    public void clear() {
        String pattern = globEscape(prefix) + "*";
        RedisFailures.run(description, () -> {
            List<String> chunk = new ArrayList<>(CLEAR_CHUNK);
            try (Stream<String> keys = client.getKeys().getKeysStreamByPattern(pattern, CLEAR_CHUNK)) {
                keys.forEach(k -> {
                    chunk.add(k);
                    if (chunk.size() == CLEAR_CHUNK) {
                        client.getKeys().unlink(chunk.toArray(String[]::new));
                        chunk.clear();
                    }
                });
            }
            if (!chunk.isEmpty()) {
                client.getKeys().unlink(chunk.toArray(String[]::new));
            }
        });
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && onClose != null) {
            onClose.run();
        }
    }

    /** Escapes Redis glob metacharacters so {@code text} matches literally. */
    static String globEscape(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        for (char c : text.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private String[] namespaced(List<String> keys) {
        Checks.keys(keys);
        String[] out = new String[keys.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = prefix + keys.get(i);
        }
        return out;
    }

    private static List<Object> ordered(String[] nsKeys, Map<String, Object> found) {
        List<Object> out = new ArrayList<>(nsKeys.length);
        for (String k : nsKeys) {
            out.add(found.get(k));
        }
        return out;
    }

    private Map<String, Object> rawPairs(Map<String, ?> pairs) {
        Checks.pairs(pairs);
        Map<String, Object> raw = new LinkedHashMap<>();
        pairs.forEach((k, v) -> raw.put(prefix + k, Checks.raw(mode, k, v)));
        return raw;
    }

    /** Validates and rounds a TTL up to whole milliseconds (Redis PX precision). */
    private static Duration redisTtl(Duration ttl) {
        Checks.ttl(ttl);
        if (ttl == null) {
            return null;
        }
        long millis = ttl.toMillis();
        return Duration.ofNanos(ttl.toNanos()).equals(Duration.ofMillis(millis)) ? ttl : Duration.ofMillis(millis + 1);
    }
}
