package io.loom.cache.gateway;

import io.loom.cache.config.BackendSettings;
import io.loom.cache.config.CacheConfig;
import io.loom.cache.serialization.MsgpackSerializer;
import io.loom.cache.serialization.SerializationException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The cache facade: typed reads and writes on one alias's {@link CacheBackend}.
 *
 * <p><b>Modes.</b> Detected when the gateway is built: an alias with a serializer gives a
 * {@link GatewayMode#DATA} gateway (values are encoded with {@link MsgpackSerializer}); an alias
 * without one gives a {@link GatewayMode#COUNTER} gateway (values are raw {@code long}s).
 * {@link #incr} is atomic in both modes, across threads and processes.
 *
 * <p><b>Aliases.</b> A process-wide registry maps alias names to backend settings, filled by
 * {@link #configure(Map)} and {@link #applyConfig(CacheConfig)}; it starts with the default
 * configuration (alias {@code "default"}: in-memory, msgpack). Each alias's backend is built once,
 * on first use, and shared by all its gateways.
 *
 * <p><b>Errors.</b> Bad arguments throw {@link InvalidCacheArgumentException}; an unknown alias
 * {@link UnknownAliasException}; an unreachable backend {@link BackendUnavailableException}.
 * Entries that do not decode are treated as misses: deleted and logged at WARN, never thrown
 * into a read. TTLs are {@link Duration}s; null means no expiry.
 *
 * <p>Thread-safe.
 */
public final class CacheGateway {

    private static final AliasRegistry REGISTRY = new AliasRegistry();

    private final String alias;
    private final CacheBackend backend;
    private final MsgpackSerializer serializer;
    private final GatewayMode mode;
    private final GatewayCodec codec;

    /**
     * A gateway on a registered alias.
     *
     * @throws UnknownAliasException if the alias is not registered
     * @throws InvalidCacheArgumentException if the alias is null
     */
    public CacheGateway(String alias) {
        this(alias, REGISTRY);
    }

    CacheGateway(String alias, AliasRegistry registry) {
        if (alias == null) {
            throw new InvalidCacheArgumentException("cache alias must not be null");
        }
        AliasRegistry.Registration r = registry.resolve(alias);
        this.alias = alias;
        this.backend = r.backend();
        this.serializer = r.settings().hasSerializer() ? MsgpackSerializer.INSTANCE : null;
        this.mode = serializer != null ? GatewayMode.DATA : GatewayMode.COUNTER;
        this.codec = new GatewayCodec(alias, backend, serializer, mode, registry.maxValueBytes());
    }

    private CacheGateway(String alias, CacheBackend backend, MsgpackSerializer serializer, long maxValueBytes) {
        this.alias = Objects.requireNonNull(alias, "alias");
        this.backend = Objects.requireNonNull(backend, "backend");
        this.serializer = serializer;
        this.mode = serializer != null ? GatewayMode.DATA : GatewayMode.COUNTER;
        if (backend.mode() != mode) {
            throw new InvalidCacheArgumentException("backend " + backend.describe() + " stores " + backend.mode()
                    + " values but the gateway would be in " + mode + " mode");
        }
        if (maxValueBytes <= 0) {
            throw new InvalidCacheArgumentException("maxValueBytes must be positive, got " + maxValueBytes);
        }
        this.codec = new GatewayCodec(alias, backend, serializer, mode, maxValueBytes);
    }

    /** Same as {@code new CacheGateway(alias)}. */
    public static CacheGateway of(String alias) {
        return new CacheGateway(alias);
    }

    /**
     * A gateway on an explicit backend, outside the registry (tests, embedding).
     *
     * @param serializer null for a counter gateway; must match {@code backend.mode()}
     */
    public static CacheGateway over(CacheBackend backend, MsgpackSerializer serializer) {
        return new CacheGateway("(unregistered)", backend, serializer, CacheConfig.DEFAULT_MAX_VALUE_BYTES);
    }

    /** Like {@link #over(CacheBackend, MsgpackSerializer)} with a value-size limit. */
    public static CacheGateway over(CacheBackend backend, MsgpackSerializer serializer, long maxValueBytes) {
        return new CacheGateway("(unregistered)", backend, serializer, maxValueBytes);
    }

    /**
     * Registers (or replaces) aliases. Each value is a {@link BackendSettings} or a mapping with
     * the keys of {@code backends.<alias>} (see {@link io.loom.cache.config.CacheSettings}).
     * Replacing an alias closes its previously built backend. Other aliases are kept.
     *
     * @throws io.loom.cache.config.CacheConfigException naming the bad key
     */
    public static void configure(Map<String, ?> aliases) {
        REGISTRY.configure(Objects.requireNonNull(aliases, "aliases"));
    }

    /**
     * Registers every backend of {@code config}; memory aliases without their own
     * {@code max-size} get {@code config.maxSize()}; other backends are forwarded unchanged.
     * Also makes {@code config} the one {@link #config()} returns.
     */
    public static void applyConfig(CacheConfig config) {
        REGISTRY.apply(Objects.requireNonNull(config, "config"));
    }

    /** The configuration last applied (the defaults until {@link #applyConfig} is called). */
    public static CacheConfig config() {
        return REGISTRY.config();
    }

    /** Registered alias names. */
    public static Set<String> aliases() {
        return REGISTRY.aliases();
    }

    /** The settings registered for {@code alias}, or null. */
    public static BackendSettings settings(String alias) {
        return REGISTRY.settings(alias);
    }

    /** Closes every built backend and restores the default registry. For tests and shutdown. */
    public static void reset() {
        REGISTRY.reset();
    }

    public String alias() {
        return alias;
    }

    public GatewayMode mode() {
        return mode;
    }

    /** The serializer of a data gateway, null for a counter gateway. */
    public MsgpackSerializer serializer() {
        return serializer;
    }

    /** The backend this gateway reads and writes through (tests of this package). */
    CacheBackend backend() {
        return backend;
    }

    /**
     * The compound operations of the read, store and commit paths over stamped entries in this
     * (data) gateway's backend and generation counters in {@code counters}'s; see
     * {@link CacheBackend#generationStore}.
     *
     * @throws InvalidCacheArgumentException when this is a counter gateway
     */
    public GenerationStore generationStore(CacheGateway counters, GenerationStore.Options options) {
        Objects.requireNonNull(counters, "counters");
        return backend.generationStore(counters.backend, Objects.requireNonNull(options, "options"));
    }

    /** Decoded value (plain maps/lists/scalars in data mode, {@code Long} in counter mode), or null. */
    public Object getValue(String key) {
        return getValue(key, Object.class);
    }

    /** Value decoded as {@code type}, or null on a miss or an undecodable entry (which is deleted). */
    public <T> T getValue(String key, Class<T> type) {
        Objects.requireNonNull(type, "type");
        Object raw;
        try {
            raw = backend.getValue(key);
        } catch (SerializationException e) {
            codec.dropUndecodable(key, type, e);
            return null;
        }
        return codec.decode(key, raw, type);
    }

    public CompletionStage<Object> getValueAsync(String key) {
        return getValueAsync(key, Object.class);
    }

    public <T> CompletionStage<T> getValueAsync(String key, Class<T> type) {
        Objects.requireNonNull(type, "type");
        return backend.getValueAsync(key).handle((raw, failure) -> {
            if (failure == null) {
                return codec.decode(key, raw, type);
            }
            Throwable cause = GatewayCodec.cause(failure);
            if (cause instanceof SerializationException se) {
                codec.dropUndecodable(key, type, se);
                return null;
            }
            throw GatewayCodec.rethrown(cause);
        });
    }

    /** Values in key order, null for misses; one round trip. */
    public List<Object> multiGetValues(List<String> keys) {
        return multiGetValues(keys, Object.class);
    }

    public <T> List<T> multiGetValues(List<String> keys, Class<T> type) {
        Objects.requireNonNull(type, "type");
        List<Object> raw;
        try {
            raw = backend.multiGetValues(keys);
        } catch (SerializationException e) {
            return oneByOne(keys, type);
        }
        return codec.decodeAll(keys, raw, type);
    }

    /** Fallback when a multi-get hits an entry the backend itself cannot decode. */
    private <T> List<T> oneByOne(List<String> keys, Class<T> type) {
        List<T> out = new ArrayList<>(keys.size());
        for (String k : keys) {
            out.add(getValue(k, type));
        }
        return out;
    }

    public <T> CompletionStage<List<T>> multiGetValuesAsync(List<String> keys, Class<T> type) {
        Objects.requireNonNull(type, "type");
        return backend.multiGetValuesAsync(keys).handle((raw, failure) -> {
            if (failure == null) {
                return codec.decodeAll(keys, raw, type);
            }
            Throwable cause = GatewayCodec.cause(failure);
            if (cause instanceof SerializationException) {
                return oneByOne(keys, type);
            }
            throw GatewayCodec.rethrown(cause);
        });
    }

    public boolean exists(String key) {
        return backend.exists(key);
    }

    /** Stores without expiry. @see #setValue(String, Object, Duration) */
    public boolean setValue(String key, Object value) {
        return setValue(key, value, null);
    }

    /**
     * Stores a value. In data mode a value whose encoding exceeds {@code max-value-bytes} is not
     * cached (and any older entry under the key is deleted); the call then returns false.
     *
     * @param value any serializable value (data mode) or an integer (counter mode), never null
     * @param ttl   positive, or null for no expiry
     * @return true if stored
     */
    public boolean setValue(String key, Object value, Duration ttl) {
        Checks.key(key);
        Checks.ttl(ttl);
        Object raw = codec.encode(key, value);
        if (raw == null) {
            backend.delete(key);
            return false;
        }
        backend.setValue(key, raw, ttl);
        return true;
    }

    public CompletionStage<Boolean> setValueAsync(String key, Object value, Duration ttl) {
        Checks.key(key);
        Checks.ttl(ttl);
        Object raw = codec.encode(key, value);
        if (raw == null) {
            return backend.deleteAsync(key).thenApply(n -> false);
        }
        return backend.setValueAsync(key, raw, ttl).thenApply(v -> true);
    }

    /** Stores every pair with one TTL in one round trip; oversized values are skipped and deleted. */
    public void multiSetValues(Map<String, ?> pairs, Duration ttl) {
        Checks.pairs(pairs);
        Checks.ttl(ttl);
        Map<String, Object> raw = new LinkedHashMap<>();
        List<String> oversized = new ArrayList<>();
        codec.encodeAll(pairs, raw, oversized);
        if (!raw.isEmpty()) {
            backend.multiSetValues(raw, ttl);
        }
        if (!oversized.isEmpty()) {
            backend.deleteMany(oversized);
        }
    }

    public CompletionStage<Void> multiSetValuesAsync(Map<String, ?> pairs, Duration ttl) {
        Checks.pairs(pairs);
        Checks.ttl(ttl);
        Map<String, Object> raw = new LinkedHashMap<>();
        List<String> oversized = new ArrayList<>();
        codec.encodeAll(pairs, raw, oversized);
        CompletionStage<Void> stage = raw.isEmpty()
                ? java.util.concurrent.CompletableFuture.completedFuture(null)
                : backend.multiSetValuesAsync(raw, ttl);
        return oversized.isEmpty() ? stage : stage.thenCompose(v -> backend.deleteManyAsync(oversized)).thenApply(n -> null);
    }

    /** Stores only if absent (SET NX); false if the key existed or the value is oversized. */
    public boolean setIfAbsent(String key, Object value, Duration ttl) {
        Checks.key(key);
        Checks.ttl(ttl);
        Object raw = codec.encode(key, value);
        return raw != null && backend.setIfAbsent(key, raw, ttl);
    }

    public CompletionStage<Boolean> setIfAbsentAsync(String key, Object value, Duration ttl) {
        Checks.key(key);
        Checks.ttl(ttl);
        Object raw = codec.encode(key, value);
        if (raw == null) {
            return java.util.concurrent.CompletableFuture.completedFuture(false);
        }
        return backend.setIfAbsentAsync(key, raw, ttl);
    }

    /** Atomically adds 1; see {@link #incr(String, long)}. */
    public long incr(String key) {
        return backend.incr(key, 1);
    }

    /**
     * Atomically adds {@code delta} and returns the new value; a missing key counts as 0.
     *
     * @throws SerializationException if the key holds a non-integer
     */
    public long incr(String key, long delta) {
        return backend.incr(key, delta);
    }

    public CompletionStage<Long> incrAsync(String key, long delta) {
        return backend.incrAsync(key, delta);
    }

    /** Deletes a key; 1 if it existed, else 0. */
    public long delete(String key) {
        return backend.delete(key);
    }

    public CompletionStage<Long> deleteAsync(String key) {
        return backend.deleteAsync(key);
    }

    /** Deletes keys; returns how many existed. */
    public long deleteMany(Collection<String> keys) {
        return backend.deleteMany(keys);
    }

    public CompletionStage<Long> deleteManyAsync(Collection<String> keys) {
        return backend.deleteManyAsync(keys);
    }

    /** Deletes every entry of this alias's namespace. */
    public void clear() {
        backend.clear();
    }
}
