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
 * <tr><td>{@code loom.hibernate.outbox}</td><td>{@code auto}</td><td>durable invalidation outbox:
 *     {@code true}, {@code false}, or {@code auto} = on when the cache's data alias is Redis (a
 *     cache shared by several nodes), off for the in-process memory cache. When on, a table that
 *     can be neither found nor created fails start-up; {@code false} runs without it</td></tr>
 * <tr><td>{@code loom.hibernate.outbox.table}</td><td>{@code loom_invalidation_outbox}</td><td>outbox
 *     table, created when missing with the Dialect's column types (qualified with
 *     {@code hibernate.default_schema} when set); deployments with different cache namespaces may
 *     share it</td></tr>
 * <tr><td>{@code loom.hibernate.outbox.replay-after}</td><td>5s</td><td>age after which any node
 *     replays an undelivered outbox row ({@code 500ms}, {@code 5s} or a bare number of ms)</td></tr>
 * <tr><td>{@code loom.hibernate.outbox.sweep-every}</td><td>1s</td><td>how often each node deletes
 *     delivered rows and replays old ones</td></tr>
 * </table>
 */
public final class LoomHibernateSettings {

    public static final String ENABLED = "loom.hibernate.enabled";
    public static final String CONFIG_FILE = "loom.hibernate.config-file";
    public static final String REDISSON_CLIENT = "loom.hibernate.redisson-client";
    public static final String OUTBOX = "loom.hibernate.outbox";
    public static final String OUTBOX_TABLE = "loom.hibernate.outbox.table";
    public static final String OUTBOX_REPLAY_AFTER = "loom.hibernate.outbox.replay-after";
    public static final String OUTBOX_SWEEP_EVERY = "loom.hibernate.outbox.sweep-every";

    public static final String DEFAULT_OUTBOX_TABLE = "loom_invalidation_outbox";
    public static final java.time.Duration DEFAULT_REPLAY_AFTER = java.time.Duration.ofSeconds(5);
    public static final java.time.Duration DEFAULT_SWEEP_EVERY = java.time.Duration.ofSeconds(1);

    private LoomHibernateSettings() {
    }
}
