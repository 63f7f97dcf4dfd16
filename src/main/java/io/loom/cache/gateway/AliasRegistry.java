package io.loom.cache.gateway;

import io.loom.cache.config.BackendSettings;
import io.loom.cache.config.CacheConfig;
import io.loom.cache.config.CacheConfigException;
import io.loom.cache.config.CacheConfigLoader;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * Alias names mapped to backend settings, and the backends built from them. Each alias's backend
 * is built lazily on first use and shared by every gateway of that alias. One registry is
 * process-wide, behind {@link CacheGateway}'s static methods; each {@code LoomCache} holds one of
 * its own, so caches of different configurations in one process stay apart. Thread-safe (all
 * methods synchronize on the registry).
 */
public final class AliasRegistry implements AutoCloseable {

    record Registration(BackendSettings settings, CacheBackend backend) {
    }

    private CacheBackendProvider provider;
    private final Map<String, BackendSettings> settings = new LinkedHashMap<>();
    private final Map<String, CacheBackend> built = new LinkedHashMap<>();
    private CacheConfig config = CacheConfig.defaults();
    private long maxValueBytes = CacheConfig.DEFAULT_MAX_VALUE_BYTES;

    AliasRegistry() {
        applyDefaults();
    }

    /**
     * A registry of the aliases of {@code config}, whose backends {@code provider} builds.
     *
     * @param provider builds each alias's backend on first use
     */
    public AliasRegistry(CacheConfig config, CacheBackendProvider provider) {
        this.provider = Objects.requireNonNull(provider, "provider");
        apply(Objects.requireNonNull(config, "config"));
    }

    /**
     * A gateway on {@code alias}: data mode when the alias has a serializer, counter mode otherwise.
     *
     * @throws UnknownAliasException if the alias is not registered
     */
    public CacheGateway gateway(String alias) {
        return new CacheGateway(alias, this);
    }

    /** Closes every backend built so far; gateways of this registry stop working. Idempotent. */
    @Override
    public synchronized void close() {
        built.values().forEach(CacheBackend::close);
        built.clear();
    }

    synchronized void register(String alias, BackendSettings s) {
        settings.put(alias, s);
        CacheBackend old = built.remove(alias);
        if (old != null) {
            old.close();
        }
    }

    /** Registers aliases given as {@link BackendSettings} or as {@code backends.<alias>} mappings. */
    @SuppressWarnings("unchecked")
    void configure(Map<String, ?> aliases) {
        Map<String, BackendSettings> parsed = new LinkedHashMap<>();
        aliases.forEach((name, value) -> {
            if (value instanceof BackendSettings s) {
                parsed.put(name, s);
            } else if (value instanceof Map<?, ?> m) {
                parsed.put(name, CacheConfigLoader.system().backend(name, (Map<String, ?>) m));
            } else {
                throw new CacheConfigException("backends." + name, "expected BackendSettings or a mapping, got " + value);
            }
        });
        parsed.forEach(this::register);
    }

    synchronized void apply(CacheConfig c) {
        for (String alias : c.backends().keySet()) {
            register(alias, c.effectiveSettings(alias));
        }
        this.config = c;
        this.maxValueBytes = c.maxValueBytes();
    }

    synchronized Registration resolve(String alias) {
        BackendSettings s = settings.get(alias);
        if (s == null) {
            throw new UnknownAliasException(alias, new TreeSet<>(settings.keySet()));
        }
        CacheBackend backend = built.get(alias);
        if (backend == null) {
            if (provider == null) {
                provider = provider();
            }
            backend = provider.create(alias, s);
            built.put(alias, backend);
        }
        return new Registration(s, backend);
    }

    synchronized Set<String> aliases() {
        return Set.copyOf(settings.keySet());
    }

    synchronized BackendSettings settings(String alias) {
        return settings.get(alias);
    }

    synchronized CacheConfig config() {
        return config;
    }

    synchronized long maxValueBytes() {
        return maxValueBytes;
    }

    synchronized void reset() {
        built.values().forEach(CacheBackend::close);
        built.clear();
        settings.clear();
        applyDefaults();
    }

    /** The one {@link CacheBackendProvider} on the class or module path (the library's own). */
    private static CacheBackendProvider provider() {
        return ServiceLoader.load(CacheBackendProvider.class, CacheBackendProvider.class.getClassLoader())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + CacheBackendProvider.class.getName()
                        + " service found: the loom-cache jar's META-INF/services entry is missing"));
    }

    private void applyDefaults() {
        CacheConfig d = CacheConfig.defaults();
        settings.putAll(d.backends());
        config = d;
        maxValueBytes = d.maxValueBytes();
    }
}
