package io.loom.cache.hibernate;

import io.loom.cache.LoomCache;
import io.loom.cache.config.CacheConfig;
import io.loom.cache.config.CacheConfigException;
import io.loom.cache.config.CacheConfigLoader;
import io.loom.cache.config.Durations;
import io.loom.cache.config.BackendType;
import io.loom.cache.hibernate.internal.AheadAnnouncer;
import io.loom.cache.hibernate.internal.CommitListener;
import io.loom.cache.hibernate.internal.LoomUnit;
import io.loom.cache.hibernate.internal.InvalidationOutbox;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.boot.Metadata;
import org.hibernate.boot.spi.BootstrapContext;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.event.service.spi.EventListenerRegistry;
import org.hibernate.event.spi.EventType;
import org.hibernate.integrator.spi.Integrator;
import org.hibernate.service.spi.SessionFactoryServiceRegistry;
import org.redisson.api.RedissonClient;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Hibernate {@link Integrator} that gives a persistence unit its {@link LoomCache} and registers
 * the listeners that invalidate it when transactions commit. Discovered automatically through
 * {@code META-INF/services}, or named in {@code persistence.xml} through
 * {@code hibernate.integrator_provider} = {@link LoomIntegratorProvider}; both together integrate
 * once. Settings: {@link LoomHibernateSettings} and the {@code loom.cache.*} properties.
 */
public final class LoomIntegrator implements Integrator {

    @Override
    public void integrate(Metadata metadata, BootstrapContext bootstrapContext, SessionFactoryImplementor sessionFactory) {
        Map<String, Object> properties = sessionFactory.getProperties();
        if (!Boolean.parseBoolean(String.valueOf(properties.getOrDefault(LoomHibernateSettings.ENABLED, "true")))) {
            return;
        }
        LoomUnit unit = LoomUnit.of(sessionFactory);
        if (unit == null) {
            throw new IllegalStateException("Loom Cache: the session factory has no " + LoomUnit.class.getName()
                    + " service; is META-INF/services/org.hibernate.service.spi.SessionFactoryServiceContributor"
                    + " missing from the class path (a repackaged jar)?");
        }
        if (!unit.claim()) {
            return; // already integrated through the other registration path
        }
        LoomCache cache = null;
        InvalidationOutbox outbox;
        try {
            cache = cacheFrom(properties);
            outbox = outbox(properties, sessionFactory, cache);
        } catch (RuntimeException e) {
            if (cache != null) {
                cache.close(); // its clients and threads would outlive the factory that failed
            }
            unit.release(); // the factory fails to start; forget the claim
            throw e;
        }
        CommitListener listener = new CommitListener(cache, outbox);
        unit.integrate(cache, outbox, listener);
        EventListenerRegistry registry = sessionFactory.getEventListenerRegistry();
        registry.appendListeners(EventType.POST_INSERT, listener);
        registry.appendListeners(EventType.POST_UPDATE, listener);
        registry.appendListeners(EventType.POST_DELETE, listener);
        registry.appendListeners(EventType.POST_UPSERT, listener);
        registry.appendListeners(EventType.POST_COLLECTION_RECREATE, listener);
        registry.appendListeners(EventType.POST_COLLECTION_UPDATE, listener);
        registry.appendListeners(EventType.POST_COLLECTION_REMOVE, listener);
        if (cache.announcesCommits()) {
            AheadAnnouncer announcer = new AheadAnnouncer(listener); // last: after any listener that may veto
            registry.appendListeners(EventType.PRE_INSERT, announcer);
            registry.appendListeners(EventType.PRE_UPDATE, announcer);
            registry.appendListeners(EventType.PRE_DELETE, announcer);
        }
    }

    @Override
    public void disintegrate(SessionFactoryImplementor sessionFactory, SessionFactoryServiceRegistry serviceRegistry) {
        LoomUnit unit = LoomUnit.of(sessionFactory);
        if (unit != null) {
            unit.release();
        }
    }

    /**
     * Builds the cache of a persistence unit; a {@link RedissonClient} given under
     * {@link LoomHibernateSettings#REDISSON_CLIENT} serves every Redis alias instead of a client
     * built from the alias settings.
     */
    static LoomCache cacheFrom(Map<String, Object> properties) {
        CacheConfig config = configFrom(properties);
        Object client = properties.get(LoomHibernateSettings.REDISSON_CLIENT);
        if (client == null) {
            return LoomCache.create(config);
        }
        if (!(client instanceof RedissonClient redisson)) {
            throw new CacheConfigException(LoomHibernateSettings.REDISSON_CLIENT,
                    "expected an org.redisson.api.RedissonClient instance, got " + client.getClass().getName());
        }
        return LoomCache.builder(config).redissonClient(redisson).build();
    }

    private static InvalidationOutbox outbox(Map<String, Object> properties, SessionFactoryImplementor factory,
                                             LoomCache cache) {
        String mode = String.valueOf(properties.getOrDefault(LoomHibernateSettings.OUTBOX, "auto")).trim();
        boolean on = switch (mode.toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            case "auto" -> cache.config().enabled() && cache.config().backends().get(cache.config().alias()).type()
                    == BackendType.REDIS;
            default -> throw new CacheConfigException(LoomHibernateSettings.OUTBOX,
                    "expected true, false or auto, got '" + mode + "'");
        };
        if (!on) {
            return null;
        }
        String table = String.valueOf(properties.getOrDefault(LoomHibernateSettings.OUTBOX_TABLE,
                LoomHibernateSettings.DEFAULT_OUTBOX_TABLE));
        Object schema = properties.get("hibernate.default_schema");
        if (schema != null && !schema.toString().isBlank() && !table.contains(".")) {
            table = schema + "." + table;
        }
        Duration replayAfter = duration(properties, LoomHibernateSettings.OUTBOX_REPLAY_AFTER,
                LoomHibernateSettings.DEFAULT_REPLAY_AFTER);
        Duration sweepEvery = duration(properties, LoomHibernateSettings.OUTBOX_SWEEP_EVERY,
                LoomHibernateSettings.DEFAULT_SWEEP_EVERY);
        ConnectionProvider connections = factory.getServiceRegistry().requireService(ConnectionProvider.class);
        try {
            InvalidationOutbox.createTable(table, factory, connections);
        } catch (InvalidationOutbox.OutboxException e) {
            // Without its table the crash bound of the outbox would silently become the TTL.
            throw new CacheConfigException(LoomHibernateSettings.OUTBOX, "is '" + mode + "' (on for this unit) but "
                    + e.getMessage() + "; set " + LoomHibernateSettings.OUTBOX + "=false to run without the outbox", e);
        }
        CacheConfig config = cache.config();
        String counters = config.effectiveCounterAlias();
        String namespace = config.backends().get(counters).effectiveNamespace(counters);
        return new InvalidationOutbox(table, namespace, connections, cache, replayAfter, sweepEvery,
                Clock.systemUTC());
    }

    /** A positive duration setting in {@link Durations}' grammar, bare numbers in milliseconds. */
    static Duration duration(Map<String, Object> properties, String key, Duration fallback) {
        Object raw = properties.get(key);
        if (raw == null) {
            return fallback;
        }
        Duration value = Durations.parse(key, raw instanceof Number || raw instanceof Duration ? raw : raw.toString(),
                true);
        if (value.isNegative() || value.isZero()) {
            throw new CacheConfigException(key, "must be positive, got '" + raw + "'");
        }
        return value;
    }

    static CacheConfig configFrom(Map<String, Object> properties) {
        Object file = properties.get(LoomHibernateSettings.CONFIG_FILE);
        // The file is the base; loom.cache.* properties override the settings they name.
        return file != null
                ? CacheConfigLoader.fromYamlAndProperties(LoomHibernateSettings.CONFIG_FILE, Path.of(file.toString()),
                        properties)
                : CacheConfigLoader.fromProperties(properties);
    }
}
