package io.loom.cache.internal.backend;

import io.loom.cache.config.BackendSettings;
import io.loom.cache.config.CacheConfigException;
import io.loom.cache.gateway.BackendUnavailableException;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.redisson.config.ConstantDelay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Internal: one {@link RedissonClient} per distinct connection (address, database, credentials,
 * timeouts; or Redisson configuration file), shared by every alias that uses it and
 * reference-counted: the client shuts down when its last lease is released. Sharing lets a data
 * alias and a counter alias on the same server be read by one Lua script. Thread-safe.
 */
public final class SharedRedissonClients {

    /** Delay before a failed command is retried (the retry count is {@code retry-attempts}). */
    static final java.time.Duration RETRY_DELAY = java.time.Duration.ofMillis(50);


    private static final Map<Object, Entry> CLIENTS = new HashMap<>();

    private SharedRedissonClients() {
    }

    /** A lease on a shared client; {@link #release()} is idempotent. */
    public static final class Lease {
        private final Object key;
        private final RedissonClient client;
        private boolean released;

        private Lease(Object key, RedissonClient client) {
            this.key = key;
            this.client = client;
        }

        public RedissonClient client() {
            return client;
        }

        public void release() {
            synchronized (CLIENTS) {
                if (released) {
                    return;
                }
                released = true;
                Entry e = CLIENTS.get(key);
                if (e != null && --e.refs == 0) {
                    CLIENTS.remove(key);
                    e.client.shutdown(0, 2, java.util.concurrent.TimeUnit.SECONDS);
                }
            }
        }
    }

    private static final class Entry {
        final RedissonClient client;
        int refs;

        Entry(RedissonClient client) {
            this.client = client;
        }
    }

    private record AddressKey(String address, int database, String username, String password,
                              Duration timeout, Duration connectTimeout, int retryAttempts) {
    }

    private record FileKey(Path file) {
    }

    /**
     * Leases the client for {@code settings}, creating it on first use (lazily connected, so a
     * down server surfaces on the first call, as {@link BackendUnavailableException}).
     *
     * @throws CacheConfigException if the Redisson configuration file cannot be read
     */
    public static Lease acquire(String alias, BackendSettings settings) {
        Object key = settings.redissonConfig() != null
                ? new FileKey(Path.of(settings.redissonConfig()).toAbsolutePath().normalize())
                : new AddressKey(settings.address(), settings.database(), settings.username(), settings.password(),
                settings.timeout(), settings.connectTimeout(), settings.retryAttempts());
        synchronized (CLIENTS) {
            Entry e = CLIENTS.get(key);
            if (e == null) {
                e = new Entry(create(alias, settings));
                CLIENTS.put(key, e);
            }
            e.refs++;
            return new Lease(key, e.client);
        }
    }

    /** Number of live shared clients (diagnostics and tests). */
    public static int liveClients() {
        synchronized (CLIENTS) {
            return CLIENTS.size();
        }
    }

    /** Builds an unshared Redisson configuration for {@code settings}. */
    public static Config configFor(String alias, BackendSettings settings) {
        Config config;
        if (settings.redissonConfig() != null) {
            Path file = Path.of(settings.redissonConfig());
            if (!Files.isReadable(file)) {
                throw new CacheConfigException("backends." + alias + ".redisson-config",
                        "file not readable: " + file.toAbsolutePath());
            }
            try {
                config = Config.fromYAML(file.toFile());
            } catch (IOException | RuntimeException e) {
                throw new CacheConfigException("backends." + alias + ".redisson-config",
                        "not a valid Redisson configuration: " + file + ": " + e.getMessage(), e);
            }
        } else {
            config = new Config();
            config.useSingleServer()
                    .setAddress(settings.address())
                    .setDatabase(settings.database())
                    .setUsername(settings.username())
                    .setPassword(settings.password())
                    .setTimeout(Math.toIntExact(settings.timeout().toMillis()))
                    .setConnectTimeout(Math.toIntExact(settings.connectTimeout().toMillis()))
                    .setRetryAttempts(settings.retryAttempts())
                    // A cache read that fails falls back to the database: retry soon or not at all,
                    // never after Redisson's default back-off of a second or more.
                    .setRetryDelay(new ConstantDelay(RETRY_DELAY))
                    .setConnectionMinimumIdleSize(4);
        }
        config.setLazyInitialization(true);
        // Scripts go as EVAL with their source (BumpCall): Redisson's script cache would send
        // EVALSHA for a script it once loaded, which a server that forgot it (restarted, a promoted
        // replica) answers with NOSCRIPT, failing a bump that has no retries.
        config.setUseScriptCache(false);
        return config;
    }

    private static RedissonClient create(String alias, BackendSettings settings) {
        Config config = configFor(alias, settings);
        try {
            return Redisson.create(config);
        } catch (RuntimeException e) {
            throw RedisFailures.translate("redis alias " + alias, e);
        }
    }
}
