package io.loom.cache.hibernate.internal.bulk;

import io.loom.cache.hibernate.LoomHibernateSettings;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cache.internal.StandardTimestampsCacheFactory;
import org.hibernate.cache.spi.TimestampsCacheFactory;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.service.spi.ServiceContributor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/*
 * Hibernate reports bulk and native mutations only to the query-cache timestamps, which exist only
 * with hibernate.cache.use_query_cache=true and a RegionFactory (start-up fails without one). This
 * contributor runs while the service registry is built, after persistence.xml and programmatic
 * properties are applied, and fills in only what the application left unset:
 *   - hibernate.cache.query_cache_factory: always wrapped (the application's own factory, or
 *     Hibernate's standard one), so the timestamps report to Loom;
 *   - hibernate.cache.use_query_cache: true, unless the application set it (explicit false is
 *     respected, with a warning: bulk mutations are then not seen);
 *   - no region factory configured: NoStorageRegionFactory (stores nothing), and
 *     hibernate.cache.use_second_level_cache=false unless set, so nothing starts caching.
 * An application's own RegionFactory and second-level cache settings stay untouched (with its
 * RegionFactory, queries it marks cacheable are now cached by it, as use_query_cache implies).
 */
/** Supplies the Hibernate settings through which bulk and native mutations become visible to Loom. */
public final class BulkSettingsContributor implements ServiceContributor {

    private static final Logger LOG = LoggerFactory.getLogger(BulkSettingsContributor.class);

    @Override
    public void contribute(StandardServiceRegistryBuilder builder) {
        Map<String, Object> settings = builder.getSettings();
        if (!Boolean.parseBoolean(String.valueOf(settings.getOrDefault(LoomHibernateSettings.ENABLED, "true")))) {
            return;
        }
        Object queryCache = settings.get(AvailableSettings.USE_QUERY_CACHE);
        if (queryCache != null && !Boolean.parseBoolean(queryCache.toString().trim())) {
            LOG.warn("Loom Cache: {}=false, so bulk JPQL/Criteria and native mutations are not seen; "
                    + "invalidate their entities explicitly", AvailableSettings.USE_QUERY_CACHE);
            return;
        }
        Object userFactory = settings.get(AvailableSettings.QUERY_CACHE_FACTORY);
        if (userFactory instanceof BulkAwareTimestampsCacheFactory) {
            return; // already contributed for these settings
        }
        builder.applySetting(AvailableSettings.QUERY_CACHE_FACTORY,
                new BulkAwareTimestampsCacheFactory(resolve(userFactory)));
        if (queryCache == null) {
            builder.applySetting(AvailableSettings.USE_QUERY_CACHE, "true");
        }
        if (settings.get(AvailableSettings.CACHE_REGION_FACTORY) == null) {
            builder.applySetting(AvailableSettings.CACHE_REGION_FACTORY, new NoStorageRegionFactory());
            if (settings.get(AvailableSettings.USE_SECOND_LEVEL_CACHE) == null) {
                builder.applySetting(AvailableSettings.USE_SECOND_LEVEL_CACHE, "false");
            }
        }
    }

    private static TimestampsCacheFactory resolve(Object configured) {
        if (configured == null || configured.toString().isBlank()) {
            return StandardTimestampsCacheFactory.INSTANCE;
        }
        if (configured instanceof TimestampsCacheFactory factory) {
            return factory;
        }
        try {
            Class<?> type = configured instanceof Class<?> c ? c
                    : Class.forName(configured.toString().trim(), true, classLoader());
            return (TimestampsCacheFactory) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalArgumentException(AvailableSettings.QUERY_CACHE_FACTORY
                    + " names no usable TimestampsCacheFactory: " + configured, e);
        }
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : BulkSettingsContributor.class.getClassLoader();
    }
}
