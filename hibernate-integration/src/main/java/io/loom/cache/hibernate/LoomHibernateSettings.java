package io.loom.cache.hibernate;

/**
 * {@code persistence.xml} properties of the Hibernate integration. Cache settings themselves are
 * the {@code loom.cache.*} properties of {@link io.loom.cache.config.CacheSettings} (for example
 * {@code loom.cache.backends.default.type=redis}), or a YAML file named by {@link #CONFIG_FILE}.
 *
 * <table>
 * <caption>Integration settings</caption>
 * <tr><th>Property</th><th>Default</th><th>Meaning</th></tr>
 * <tr><td>{@code loom.hibernate.enabled}</td><td>true</td><td>false: the discovered integrator
 *     does nothing (no listeners, no cache for this persistence unit)</td></tr>
 * <tr><td>{@code loom.hibernate.config-file}</td><td>none</td><td>YAML configuration file;
 *     excludes {@code loom.cache.*} properties</td></tr>
 * <tr><td>{@code loom.hibernate.redisson-client}</td><td>none</td><td>a {@code RedissonClient}
 *     instance (passed in the property map given to {@code createEntityManagerFactory}) that
 *     serves every Redis alias instead of a client built from the alias settings; the
 *     application keeps ownership and shuts it down after closing the factory</td></tr>
 * </table>
 */
public final class LoomHibernateSettings {

    public static final String ENABLED = "loom.hibernate.enabled";
    public static final String CONFIG_FILE = "loom.hibernate.config-file";
    public static final String REDISSON_CLIENT = "loom.hibernate.redisson-client";

    private LoomHibernateSettings() {
    }
}
