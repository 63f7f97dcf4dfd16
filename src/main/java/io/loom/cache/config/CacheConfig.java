package io.loom.cache.config;

import io.loom.cache.invalidation.EntityNames;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable, validated cache configuration: which alias holds data, which holds counters, the
 * backend of every alias, TTLs and limits. Sealed once built; every accessor returns an
 * unmodifiable view. Thread-safe. See {@link CacheSettings} for keys, units and defaults, and
 * {@link CacheConfigLoader} for YAML, properties and maps.
 */
public final class CacheConfig {

    public static final String DEFAULT_ALIAS = "default";
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(200);
    public static final Duration DEFAULT_LIST_TTL = Duration.ofSeconds(120);
    public static final Duration DEFAULT_NEGATIVE_TTL = Duration.ofSeconds(30);
    public static final long DEFAULT_MAX_VALUE_BYTES = 1024 * 1024;
    /** Suffix of per-entity TTL keys that apply to list (query) results. */
    public static final String LIST_SUFFIX = "_list";

    private final boolean enabled;
    private final String alias;
    private final String counterAlias;
    private final Map<String, BackendSettings> backends;
    private final Duration defaultTtl;
    private final Duration defaultListTtl;
    private final Duration negativeTtl;
    private final Map<String, Duration> ttl;
    private final Long maxSize;
    private final long maxValueBytes;
    private final NearCacheSettings nearCache;
    private final BumpSettings bump;

    private CacheConfig(Builder b, Map<String, BackendSettings> backends) {
        this.enabled = b.enabled;
        this.alias = b.alias;
        this.counterAlias = b.counterAlias;
        this.backends = Collections.unmodifiableMap(backends);
        this.defaultTtl = b.defaultTtl;
        this.defaultListTtl = b.defaultListTtl;
        this.negativeTtl = b.negativeTtl;
        this.ttl = Collections.unmodifiableMap(new LinkedHashMap<>(b.ttl));
        this.maxSize = b.maxSize;
        this.maxValueBytes = b.maxValueBytes;
        this.nearCache = b.nearCache;
        this.bump = b.bump;
    }

    /** The default configuration: enabled, one in-memory data alias {@code "default"}. */
    public static CacheConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether caching is on at all. */
    public boolean enabled() {
        return enabled;
    }

    /** The data alias (values are msgpack bytes). */
    public String alias() {
        return alias;
    }

    /** The configured counter alias, or null when counters share the data alias. */
    public String counterAlias() {
        return counterAlias;
    }

    /** The alias counters really live on: {@link #counterAlias()} if set, else {@link #alias()}. */
    public String effectiveCounterAlias() {
        return counterAlias != null ? counterAlias : alias;
    }

    /** Backend settings by alias, in declaration order; unmodifiable. */
    public Map<String, BackendSettings> backends() {
        return backends;
    }

    /**
     * The settings an alias runs with: its own, with the global {@code max-size} injected into a
     * memory alias that declares none. Null for an alias that is not configured.
     */
    public BackendSettings effectiveSettings(String alias) {
        BackendSettings settings = backends.get(alias);
        if (settings != null && settings.type() == BackendType.MEMORY && settings.maxSize() == null && maxSize != null) {
            return settings.withMaxSize(maxSize);
        }
        return settings;
    }

    public Duration defaultTtl() {
        return defaultTtl;
    }

    public Duration defaultListTtl() {
        return defaultListTtl;
    }

    /** How long a "no such row" result may be cached. */
    public Duration negativeTtl() {
        return negativeTtl;
    }

    /** Per-entity TTL overrides ({@code "user"}, {@code "user_list"}); unmodifiable. */
    public Map<String, Duration> ttl() {
        return ttl;
    }

    /** Global memory-backend bound, null = unbounded. */
    public Long maxSize() {
        return maxSize;
    }

    /** Serialized values larger than this are not cached. */
    public long maxValueBytes() {
        return maxValueBytes;
    }

    /** The near cache: decoded values kept in this node ({@link NearCacheSettings#DEFAULT} unless set). */
    public NearCacheSettings nearCache() {
        return nearCache;
    }

    /** How commits deliver their bumps ({@link BumpSettings#DEFAULT} unless set). */
    public BumpSettings bump() {
        return bump;
    }

    /**
     * TTL for a single-entity lookup: {@code ttl[entity]} or {@link #defaultTtl()}. The entity may
     * be spelled as its class name (simple or qualified) or its normalized name; TTL keys are
     * compared normalized ({@link EntityNames#normalize}). Callers on a hot path ask once.
     */
    public Duration ttlForSingle(String entity) {
        Objects.requireNonNull(entity, "entity");
        return ttl.getOrDefault(EntityNames.normalize(entity), defaultTtl);
    }

    /** TTL for a list result: {@code ttl[entity + "_list"]} or {@link #defaultListTtl()}; spelled as for {@link #ttlForSingle}. */
    public Duration ttlForList(String entity) {
        Objects.requireNonNull(entity, "entity");
        return ttl.getOrDefault(EntityNames.normalize(entity) + LIST_SUFFIX, defaultListTtl);
    }

    @Override
    public String toString() {
        return "CacheConfig[enabled=" + enabled + ", alias=" + alias + ", counterAlias=" + counterAlias
                + ", backends=" + backends + ", defaultTtl=" + defaultTtl + ", defaultListTtl=" + defaultListTtl
                + ", negativeTtl=" + negativeTtl + ", ttl=" + ttl + ", maxSize=" + maxSize
                + ", maxValueBytes=" + maxValueBytes + ", nearCache=" + nearCache + ", bump=" + bump + "]";
    }

    /**
     * Builder with the documented defaults. {@link #build()} validates the whole configuration and
     * throws {@link CacheConfigException} naming the offending key. Not thread-safe.
     */
    public static final class Builder {
        private boolean enabled = true;
        private String alias = DEFAULT_ALIAS;
        private String counterAlias;
        private final Map<String, BackendSettings> backends = new LinkedHashMap<>();
        private Duration defaultTtl = DEFAULT_TTL;
        private Duration defaultListTtl = DEFAULT_LIST_TTL;
        private Duration negativeTtl = DEFAULT_NEGATIVE_TTL;
        private final Map<String, Duration> ttl = new LinkedHashMap<>();
        /** How each normalized TTL key was first spelled, to name both of two keys for one entity. */
        private final Map<String, String> ttlSpelling = new LinkedHashMap<>();
        private Long maxSize;
        private long maxValueBytes = DEFAULT_MAX_VALUE_BYTES;
        private NearCacheSettings nearCache = NearCacheSettings.DEFAULT;
        private BumpSettings bump = BumpSettings.DEFAULT;

        private Builder() {
        }

        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        public Builder alias(String alias) {
            this.alias = alias;
            return this;
        }

        public Builder counterAlias(String counterAlias) {
            this.counterAlias = counterAlias;
            return this;
        }

        public Builder backend(String alias, BackendSettings settings) {
            backends.put(Objects.requireNonNull(alias, "alias"), Objects.requireNonNull(settings, "settings"));
            return this;
        }

        public Builder defaultTtl(Duration d) {
            this.defaultTtl = d;
            return this;
        }

        public Builder defaultListTtl(Duration d) {
            this.defaultListTtl = d;
            return this;
        }

        public Builder negativeTtl(Duration d) {
            this.negativeTtl = d;
            return this;
        }

        /** Per-entity TTL; use {@code "<entity>_list"} for list results. */
        public Builder ttl(String key, Duration d) {
            Objects.requireNonNull(key, "key");
            String normalized;
            try {
                normalized = EntityNames.normalize(key);
            } catch (IllegalArgumentException e) {
                throw new CacheConfigException(CacheSettings.TTL + "." + key, "names no entity");
            }
            String earlier = ttlSpelling.putIfAbsent(normalized, key);
            if (earlier != null && !earlier.equals(key)) {
                throw new CacheConfigException(CacheSettings.TTL + "." + key, "names the same entity as "
                        + CacheSettings.TTL + "." + earlier + " (both are " + normalized + ")");
            }
            ttl.put(normalized, d);
            return this;
        }

        public Builder maxSize(Long maxSize) {
            this.maxSize = maxSize;
            return this;
        }

        public Builder maxValueBytes(long maxValueBytes) {
            this.maxValueBytes = maxValueBytes;
            return this;
        }

        public Builder nearCache(NearCacheSettings nearCache) {
            this.nearCache = Objects.requireNonNull(nearCache, "nearCache");
            return this;
        }

        public Builder bump(BumpSettings bump) {
            this.bump = Objects.requireNonNull(bump, "bump");
            return this;
        }

        /** @throws CacheConfigException naming the key of the first invalid setting */
        public CacheConfig build() {
            if (alias == null || alias.isBlank()) {
                throw new CacheConfigException("alias", "must not be blank");
            }
            positive("default-ttl", defaultTtl);
            positive("default-list-ttl", defaultListTtl);
            positive("negative-ttl", negativeTtl);
            ttl.forEach((k, v) -> positive("ttl." + k, v));
            if (maxSize != null && maxSize <= 0) {
                throw new CacheConfigException("max-size", "must be positive, got " + maxSize);
            }
            if (maxValueBytes <= 0) {
                throw new CacheConfigException("max-value-bytes", "must be positive, got " + maxValueBytes);
            }
            Map<String, BackendSettings> all = new LinkedHashMap<>(backends);
            if (all.isEmpty()) {
                all.put(alias, BackendSettings.memory());
            }
            BackendSettings data = all.get(alias);
            if (data == null) {
                throw new CacheConfigException("alias", "data alias '" + alias
                        + "' has no backend; configured backends: " + all.keySet());
            }
            if (!data.hasSerializer()) {
                throw new CacheConfigException("backends." + alias + ".serializer", "data alias '" + alias
                        + "' needs a serializer (serializer: msgpack)");
            }
            if (counterAlias != null) {
                if (counterAlias.isBlank()) {
                    throw new CacheConfigException("counter-alias", "must not be blank");
                }
                BackendSettings counters = all.get(counterAlias);
                if (counters == null) {
                    throw new CacheConfigException("counter-alias", "counter alias '" + counterAlias
                            + "' has no backend; configured backends: " + all.keySet());
                }
                if (counters.hasSerializer()) {
                    throw new CacheConfigException("backends." + counterAlias + ".serializer", "counter alias '"
                            + counterAlias + "' must not have a serializer (counters are raw integers)");
                }
            }
            return new CacheConfig(this, all);
        }

        private static void positive(String key, Duration d) {
            if (d == null) {
                throw new CacheConfigException(key, "must not be null");
            }
            if (d.isNegative() || d.isZero()) {
                throw new CacheConfigException(key, "must be positive, got " + d.toMillis() + " ms");
            }
        }
    }
}
