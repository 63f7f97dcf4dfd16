package io.loom.cache.spring.boot;

import io.loom.cache.config.CacheSettings;
import io.loom.cache.hibernate.LoomHibernateSettings;
import org.redisson.api.RedissonClient;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;

import java.time.Duration;
import java.util.Map;

/**
 * Hands the bound {@link LoomCacheProperties} to the persistence unit as the flat
 * {@code loom.cache.*} properties the Hibernate integration reads, and a {@link RedissonClient}
 * bean, when the context has one, as {@link LoomHibernateSettings#REDISSON_CLIENT} (the
 * application keeps owning it). Only settings that were set are passed, so the library's defaults
 * and validation apply unchanged. Spring-only settings (Spring caches, repositories) stay here.
 */
final class LoomPersistenceProperties implements HibernatePropertiesCustomizer {

    private static final String P = CacheSettings.PROPERTY_PREFIX;

    private final LoomCacheProperties properties;
    private final RedissonClient redisson;

    LoomPersistenceProperties(LoomCacheProperties properties, RedissonClient redisson) {
        this.properties = properties;
        this.redisson = redisson;
    }

    @Override
    public void customize(Map<String, Object> hibernate) {
        hibernate.put(P + CacheSettings.ENABLED, String.valueOf(properties.isEnabled()));
        put(hibernate, CacheSettings.ALIAS, properties.getAlias());
        put(hibernate, CacheSettings.COUNTER_ALIAS, properties.getCounterAlias());
        put(hibernate, CacheSettings.DEFAULT_TTL, properties.getDefaultTtl());
        put(hibernate, CacheSettings.DEFAULT_LIST_TTL, properties.getDefaultListTtl());
        put(hibernate, CacheSettings.NEGATIVE_TTL, properties.getNegativeTtl());
        properties.getTtl().forEach((entity, ttl) -> put(hibernate, CacheSettings.TTL + "." + entity, ttl));
        put(hibernate, CacheSettings.MAX_SIZE, properties.getMaxSize());
        put(hibernate, CacheSettings.MAX_VALUE_BYTES, properties.getMaxValueBytes());
        LoomCacheProperties.NearCache near = properties.getNearCache();
        String nearPrefix = CacheSettings.NEAR_CACHE + ".";
        put(hibernate, nearPrefix + CacheSettings.NEAR_MODE, near.getMode());
        put(hibernate, nearPrefix + CacheSettings.NEAR_MAX_ENTRIES, near.getMaxEntries());
        put(hibernate, nearPrefix + CacheSettings.NEAR_MAX_LAG, near.getMaxLag());
        properties.getBackends().forEach((alias, backend) -> backend(hibernate,
                CacheSettings.BACKENDS + "." + alias + ".", backend));
        if (redisson != null) {
            hibernate.putIfAbsent(LoomHibernateSettings.REDISSON_CLIENT, redisson);
        }
    }

    private static void backend(Map<String, Object> hibernate, String prefix, LoomCacheProperties.Backend backend) {
        put(hibernate, prefix + CacheSettings.TYPE, backend.getType());
        put(hibernate, prefix + CacheSettings.SERIALIZER, backend.getSerializer());
        put(hibernate, prefix + CacheSettings.NAMESPACE, backend.getNamespace());
        put(hibernate, prefix + CacheSettings.MAX_SIZE, backend.getMaxSize());
        put(hibernate, prefix + CacheSettings.ADDRESS, backend.getAddress());
        put(hibernate, prefix + CacheSettings.REDISSON_CONFIG, backend.getRedissonConfig());
        put(hibernate, prefix + CacheSettings.DATABASE, backend.getDatabase());
        put(hibernate, prefix + CacheSettings.USERNAME, backend.getUsername());
        put(hibernate, prefix + CacheSettings.PASSWORD, backend.getPassword());
        put(hibernate, prefix + CacheSettings.TIMEOUT, backend.getTimeout());
        put(hibernate, prefix + CacheSettings.CONNECT_TIMEOUT, backend.getConnectTimeout());
        put(hibernate, prefix + CacheSettings.RETRY_ATTEMPTS, backend.getRetryAttempts());
    }

    private static void put(Map<String, Object> hibernate, String key, Object value) {
        if (value == null) {
            return;
        }
        // The library reads durations with a unit suffix whatever the setting's default unit.
        String text = value instanceof Duration d ? d.toMillis() + "ms" : value.toString();
        hibernate.put(P + key, text);
    }
}
