package io.loom.cache.spring.boot;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code loom.cache.*} settings of {@code application.yml}/{@code .properties}, handed to the
 * persistence unit as the flat {@code loom.cache.*} properties of
 * {@link io.loom.cache.config.CacheSettings} (which validates them and owns their defaults: an
 * unset setting here keeps the library's default). Durations without a unit are in the unit the
 * library documents for the setting (seconds for TTLs, milliseconds for timeouts and lag).
 */
@ConfigurationProperties(prefix = "loom.cache")
public class LoomCacheProperties {

    /** Whether reads are cached; false makes every Loom read, repository and Spring cache pass-through. */
    private boolean enabled = true;
    /** Alias of the backend holding values (library default: "default"). */
    private String alias;
    /** Alias of the backend holding generation counters (library default: the data alias). */
    private String counterAlias;
    /** TTL of single-entity entries (library default: 200 seconds). */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration defaultTtl;
    /** TTL of list entries (library default: 120 seconds). */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration defaultListTtl;
    /** TTL of a cached "not found" (library default: 30 seconds). */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration negativeTtl;
    /** Per-entity TTLs: {@code <entity>} for single entries, {@code <entity>_list} for lists. */
    @DurationUnit(ChronoUnit.SECONDS)
    private Map<String, Duration> ttl = new LinkedHashMap<>();
    /** Bound on entries of every memory backend without its own max-size (library default: unbounded). */
    private Long maxSize;
    /** Serialized values larger than this are not cached (library default: 1048576). */
    private Long maxValueBytes;
    /** Decoded values kept on each node. */
    private final NearCache nearCache = new NearCache();
    /** Backends by alias, e.g. {@code backends.default.type=redis}. */
    private Map<String, Backend> backends = new LinkedHashMap<>();
    /** Spring caches of the Loom CacheManager by name, each with the entities its values depend on. */
    private Map<String, SpringCache> springCaches = new LinkedHashMap<>();
    /** Spring Data repositories served through Loom. */
    private final Repositories repositories = new Repositories();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getAlias() {
        return alias;
    }

    public void setAlias(String alias) {
        this.alias = alias;
    }

    public String getCounterAlias() {
        return counterAlias;
    }

    public void setCounterAlias(String counterAlias) {
        this.counterAlias = counterAlias;
    }

    public Duration getDefaultTtl() {
        return defaultTtl;
    }

    public void setDefaultTtl(Duration defaultTtl) {
        this.defaultTtl = defaultTtl;
    }

    public Duration getDefaultListTtl() {
        return defaultListTtl;
    }

    public void setDefaultListTtl(Duration defaultListTtl) {
        this.defaultListTtl = defaultListTtl;
    }

    public Duration getNegativeTtl() {
        return negativeTtl;
    }

    public void setNegativeTtl(Duration negativeTtl) {
        this.negativeTtl = negativeTtl;
    }

    public Map<String, Duration> getTtl() {
        return ttl;
    }

    public void setTtl(Map<String, Duration> ttl) {
        this.ttl = ttl;
    }

    public Long getMaxSize() {
        return maxSize;
    }

    public void setMaxSize(Long maxSize) {
        this.maxSize = maxSize;
    }

    public Long getMaxValueBytes() {
        return maxValueBytes;
    }

    public void setMaxValueBytes(Long maxValueBytes) {
        this.maxValueBytes = maxValueBytes;
    }

    public NearCache getNearCache() {
        return nearCache;
    }

    public Map<String, Backend> getBackends() {
        return backends;
    }

    public void setBackends(Map<String, Backend> backends) {
        this.backends = backends;
    }

    public Map<String, SpringCache> getSpringCaches() {
        return springCaches;
    }

    public void setSpringCaches(Map<String, SpringCache> springCaches) {
        this.springCaches = springCaches;
    }

    public Repositories getRepositories() {
        return repositories;
    }

    /** {@code loom.cache.near-cache.*}. */
    public static class NearCache {
        /** off, validated or pushed (library default: validated). */
        private String mode;
        /** Values kept per node (library default: 10000). */
        private Integer maxEntries;
        /** Pushed mode only: longest a silent invalidation link may go unnoticed (library default: 200 ms). */
        @DurationUnit(ChronoUnit.MILLIS)
        private Duration maxLag;

        public String getMode() {
            return mode;
        }

        public void setMode(String mode) {
            this.mode = mode;
        }

        public Integer getMaxEntries() {
            return maxEntries;
        }

        public void setMaxEntries(Integer maxEntries) {
            this.maxEntries = maxEntries;
        }

        public Duration getMaxLag() {
            return maxLag;
        }

        public void setMaxLag(Duration maxLag) {
            this.maxLag = maxLag;
        }
    }

    /** {@code loom.cache.backends.<alias>.*}. */
    public static class Backend {
        /** memory or redis (library default: memory). */
        private String type;
        /** msgpack for the data alias, none for a counter alias. */
        private String serializer;
        /** Redis key prefix (library default: loom:<alias>). */
        private String namespace;
        /** Memory only: bound on entries. */
        private Long maxSize;
        /** Redis single-server URI (library default: redis://127.0.0.1:6379); ignored when a RedissonClient bean is reused. */
        private String address;
        /** Redisson YAML file for cluster, sentinel or replicated set-ups. */
        private String redissonConfig;
        /** Redis logical database. */
        private Integer database;
        /** Redis ACL user. */
        private String username;
        /** Redis password. */
        private String password;
        /** Command response timeout (library default: 500 ms). */
        @DurationUnit(ChronoUnit.MILLIS)
        private Duration timeout;
        /** Connect timeout (library default: 2000 ms). */
        @DurationUnit(ChronoUnit.MILLIS)
        private Duration connectTimeout;
        /** Command retries before failing (library default: 1). */
        private Integer retryAttempts;

        public String getType() {
            return type;
        }

        public void setType(String type) {
            this.type = type;
        }

        public String getSerializer() {
            return serializer;
        }

        public void setSerializer(String serializer) {
            this.serializer = serializer;
        }

        public String getNamespace() {
            return namespace;
        }

        public void setNamespace(String namespace) {
            this.namespace = namespace;
        }

        public Long getMaxSize() {
            return maxSize;
        }

        public void setMaxSize(Long maxSize) {
            this.maxSize = maxSize;
        }

        public String getAddress() {
            return address;
        }

        public void setAddress(String address) {
            this.address = address;
        }

        public String getRedissonConfig() {
            return redissonConfig;
        }

        public void setRedissonConfig(String redissonConfig) {
            this.redissonConfig = redissonConfig;
        }

        public Integer getDatabase() {
            return database;
        }

        public void setDatabase(Integer database) {
            this.database = database;
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public Duration getConnectTimeout() {
            return connectTimeout;
        }

        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        public Integer getRetryAttempts() {
            return retryAttempts;
        }

        public void setRetryAttempts(Integer retryAttempts) {
            this.retryAttempts = retryAttempts;
        }
    }

    /** {@code loom.cache.spring-caches.<name>.*}. */
    public static class SpringCache {
        /** Entities whose committed writes invalidate this cache (entity names, e.g. Product). */
        private List<String> entities = new ArrayList<>();
        /** TTL of its entries (default: the library's default list TTL). */
        @DurationUnit(ChronoUnit.SECONDS)
        private Duration ttl;

        public List<String> getEntities() {
            return entities;
        }

        public void setEntities(List<String> entities) {
            this.entities = entities;
        }

        public Duration getTtl() {
            return ttl;
        }

        public void setTtl(Duration ttl) {
            this.ttl = ttl;
        }
    }

    /** {@code loom.cache.repositories.*}. */
    public static class Repositories {
        /** Largest result of an unpaged cached repository query; a larger one is read from the database uncached. */
        private int maxUnpagedResults = 1000;

        public int getMaxUnpagedResults() {
            return maxUnpagedResults;
        }

        public void setMaxUnpagedResults(int maxUnpagedResults) {
            this.maxUnpagedResults = maxUnpagedResults;
        }
    }
}
