package io.loom.cache.config;

import io.loom.cache.serialization.MsgpackSerializer;

import java.time.Duration;
import java.util.Objects;

/**
 * Immutable settings of one cache alias's backend. Build with {@link #builder(BackendType)},
 * {@link #memory()} or {@link #redis(String)}; see {@link CacheSettings} for every key, unit and
 * default.
 *
 * @param type           memory or Redis, never null
 * @param serializer     {@value MsgpackSerializer#NAME} for a data alias, null for a counter alias
 * @param namespace      key prefix of this alias in Redis; null means {@code "loom:<alias>"}
 * @param address        Redis URI ({@code redis://} or TLS {@code rediss://}); null when
 *                       {@code redissonConfig} is used or the type is memory
 * @param redissonConfig path of a Redisson YAML configuration (cluster, sentinel, ...), or null
 * @param database       Redis logical database for {@code address}
 * @param username       Redis ACL user, or null
 * @param password       Redis password, or null (never printed by {@link #toString()})
 * @param timeout        Redis command response timeout
 * @param connectTimeout Redis connect timeout
 * @param retryAttempts  how often Redisson retries a failed command before giving up
 * @param maxSize        maximum entries of a memory alias, null = unbounded (or the global
 *                       {@code max-size} injected by {@code CacheGateway.applyConfig})
 */
public record BackendSettings(BackendType type, String serializer, String namespace, String address,
                              String redissonConfig, int database, String username, String password,
                              Duration timeout, Duration connectTimeout, int retryAttempts, Long maxSize) {

    /** Default Redis address when neither {@code address} nor {@code redisson-config} is given. */
    public static final String DEFAULT_ADDRESS = "redis://127.0.0.1:6379";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(500);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final int DEFAULT_RETRY_ATTEMPTS = 1;

    public BackendSettings {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
    }

    /** A memory data alias (msgpack serializer), unbounded. */
    public static BackendSettings memory() {
        return builder(BackendType.MEMORY).serializer(MsgpackSerializer.NAME).build();
    }

    /** A Redis data alias (msgpack serializer) on {@code address}. */
    public static BackendSettings redis(String address) {
        return builder(BackendType.REDIS).address(address).serializer(MsgpackSerializer.NAME).build();
    }

    public static Builder builder(BackendType type) {
        return new Builder(type);
    }

    /** True if a serializer is configured, i.e. a gateway on this alias works in data mode. */
    public boolean hasSerializer() {
        return serializer != null;
    }

    /** The key prefix for {@code alias}: {@link #namespace()} or {@code "loom:<alias>"}. */
    public String effectiveNamespace(String alias) {
        return namespace != null ? namespace : "loom:" + alias;
    }

    /** A copy with another {@code maxSize}. */
    public BackendSettings withMaxSize(Long newMaxSize) {
        return new BackendSettings(type, serializer, namespace, address, redissonConfig, database, username,
                password, timeout, connectTimeout, retryAttempts, newMaxSize);
    }

    /** A copy with another serializer (null for counter mode). */
    public BackendSettings withSerializer(String newSerializer) {
        return new BackendSettings(type, newSerializer, namespace, address, redissonConfig, database, username,
                password, timeout, connectTimeout, retryAttempts, maxSize);
    }

    /** A copy with another namespace. */
    public BackendSettings withNamespace(String newNamespace) {
        return new BackendSettings(type, serializer, newNamespace, address, redissonConfig, database, username,
                password, timeout, connectTimeout, retryAttempts, maxSize);
    }

    @Override
    public String toString() {
        return "BackendSettings[type=" + type.configName() + ", serializer=" + serializer + ", namespace=" + namespace
                + (type == BackendType.REDIS
                ? ", address=" + address + ", redissonConfig=" + redissonConfig + ", database=" + database
                + ", username=" + username + ", password=" + (password == null ? "null" : "***")
                + ", timeout=" + timeout + ", connectTimeout=" + connectTimeout + ", retryAttempts=" + retryAttempts
                : "")
                + ", maxSize=" + maxSize + "]";
    }

    /**
     * Builder; {@link #build()} validates and fails fast with a {@link CacheConfigException} naming
     * the offending keys. Key names in errors are prefixed with {@link #keyPrefix(String)}.
     * Not thread-safe.
     */
    public static final class Builder {
        private final BackendType type;
        private String keyPrefix = "";
        private String serializer;
        private String namespace;
        private String address;
        private String redissonConfig;
        private Integer database;
        private String username;
        private String password;
        private Duration timeout;
        private Duration connectTimeout;
        private Integer retryAttempts;
        private Long maxSize;

        private Builder(BackendType type) {
            this.type = Objects.requireNonNull(type, "type");
        }

        /** Prefix for key names in error messages, e.g. {@code "backends.default."}. */
        public Builder keyPrefix(String prefix) {
            this.keyPrefix = prefix == null ? "" : prefix;
            return this;
        }

        public Builder serializer(String serializer) {
            this.serializer = serializer;
            return this;
        }

        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        public Builder address(String address) {
            this.address = address;
            return this;
        }

        public Builder redissonConfig(String path) {
            this.redissonConfig = path;
            return this;
        }

        public Builder database(int database) {
            this.database = database;
            return this;
        }

        public Builder username(String username) {
            this.username = username;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder retryAttempts(int retryAttempts) {
            this.retryAttempts = retryAttempts;
            return this;
        }

        public Builder maxSize(Long maxSize) {
            this.maxSize = maxSize;
            return this;
        }

        /** @throws CacheConfigException naming the key(s) of any invalid or conflicting setting */
        public BackendSettings build() {
            String s = serializer;
            if (s != null && (s.isBlank() || s.equalsIgnoreCase("none"))) {
                s = null;
            }
            if (s != null && !s.equalsIgnoreCase(MsgpackSerializer.NAME)) {
                throw new CacheConfigException(keyPrefix + "serializer",
                        "unknown serializer '" + serializer + "' (supported: msgpack, none)");
            }
            if (s != null) {
                s = MsgpackSerializer.NAME;
            }
            if (namespace != null && namespace.isBlank()) {
                throw new CacheConfigException(keyPrefix + "namespace", "must not be blank");
            }
            if (maxSize != null && maxSize <= 0) {
                throw new CacheConfigException(keyPrefix + "max-size", "must be positive, got " + maxSize);
            }
            checkPositive("timeout", timeout);
            checkPositive("connect-timeout", connectTimeout);
            if (retryAttempts != null && retryAttempts < 0) {
                throw new CacheConfigException(keyPrefix + "retry-attempts", "must not be negative, got " + retryAttempts);
            }
            if (database != null && database < 0) {
                throw new CacheConfigException(keyPrefix + "database", "must not be negative, got " + database);
            }
            String addr = address;
            if (type == BackendType.MEMORY) {
                rejectForMemory("address", address);
                rejectForMemory("redisson-config", redissonConfig);
                rejectForMemory("database", database);
                rejectForMemory("username", username);
                rejectForMemory("password", password);
            } else {
                if (maxSize != null) {
                    throw new CacheConfigException(keyPrefix + "max-size", "only applies to type memory, not redis");
                }
                if (redissonConfig != null) {
                    if (redissonConfig.isBlank()) {
                        throw new CacheConfigException(keyPrefix + "redisson-config", "must not be blank");
                    }
                    conflict("address", address);
                    conflict("database", database);
                    conflict("username", username);
                    conflict("password", password);
                    conflict("timeout", timeout);
                    conflict("connect-timeout", connectTimeout);
                    conflict("retry-attempts", retryAttempts);
                } else {
                    addr = normalizeAddress(address == null ? DEFAULT_ADDRESS : address);
                }
            }
            return new BackendSettings(type, s, namespace, addr, redissonConfig,
                    database == null ? 0 : database, username, password,
                    timeout == null ? DEFAULT_TIMEOUT : timeout,
                    connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout,
                    retryAttempts == null ? DEFAULT_RETRY_ATTEMPTS : retryAttempts, maxSize);
        }

        private String normalizeAddress(String raw) {
            String a = raw.trim();
            if (a.isEmpty()) {
                throw new CacheConfigException(keyPrefix + "address", "must not be blank");
            }
            if (!a.contains("://")) {
                a = "redis://" + a;
            }
            if (!a.startsWith("redis://") && !a.startsWith("rediss://")) {
                throw new CacheConfigException(keyPrefix + "address",
                        "must start with redis:// or rediss:// (TLS), got '" + raw + "'");
            }
            return a;
        }

        private void checkPositive(String key, Duration d) {
            if (d != null && (d.isNegative() || d.isZero())) {
                throw new CacheConfigException(keyPrefix + key, "must be positive, got " + d);
            }
        }

        private void rejectForMemory(String key, Object value) {
            if (value != null) {
                throw new CacheConfigException(keyPrefix + key, "only applies to type redis, not memory");
            }
        }

        private void conflict(String key, Object value) {
            if (value != null) {
                throw new CacheConfigException(keyPrefix + key, "conflicts with " + keyPrefix
                        + "redisson-config: set '" + key + "' inside the Redisson configuration file instead");
            }
        }
    }
}
