package io.loom.cache.config;

/**
 * Every configuration key of Loom Cache, in one place. Keys are relative to {@code loom.cache}
 * (YAML section {@code loom: cache:}, or flat properties {@code loom.cache.<key>}); kebab-case,
 * snake_case and camelCase spellings are all accepted. Durations accept a bare number in the
 * unit below, or {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d}, or ISO-8601
 * ({@code PT30S}). String values may use {@code ${ENV_VAR:default}}.
 *
 * <table>
 * <caption>Global settings</caption>
 * <tr><th>Key</th><th>Unit</th><th>Default</th><th>Meaning</th></tr>
 * <tr><td>{@code enabled}</td><td>boolean</td><td>true</td><td>caching on/off</td></tr>
 * <tr><td>{@code alias}</td><td>name</td><td>{@code default}</td><td>data alias (needs a serializer)</td></tr>
 * <tr><td>{@code counter-alias}</td><td>name</td><td>null = {@code alias}</td><td>alias holding
 *     generation counters (must have no serializer)</td></tr>
 * <tr><td>{@code default-ttl}</td><td>seconds</td><td>200</td><td>TTL of single-entity entries</td></tr>
 * <tr><td>{@code default-list-ttl}</td><td>seconds</td><td>120</td><td>TTL of list entries</td></tr>
 * <tr><td>{@code negative-ttl}</td><td>seconds</td><td>30</td><td>TTL of cached "not found"</td></tr>
 * <tr><td>{@code ttl.<entity>}</td><td>seconds</td><td>{@code default-ttl}</td><td>per-entity single TTL</td></tr>
 * <tr><td>{@code ttl.<entity>_list}</td><td>seconds</td><td>{@code default-list-ttl}</td><td>per-entity list TTL</td></tr>
 * <tr><td>{@code max-size}</td><td>entries</td><td>null = unbounded</td><td>bound injected into every
 *     memory alias without its own {@code max-size}</td></tr>
 * <tr><td>{@code max-value-bytes}</td><td>bytes</td><td>1048576 (1 MiB)</td><td>larger serialized
 *     values are not cached</td></tr>
 * <tr><td>{@code near-cache.mode}</td><td>{@code off|validated|pushed}</td><td>{@code validated}</td>
 *     <td>decoded values kept in each node; how a kept value is checked ({@link NearCacheMode})</td></tr>
 * <tr><td>{@code near-cache.max-entries}</td><td>entries</td><td>10000</td><td>values kept per node</td></tr>
 * <tr><td>{@code near-cache.max-lag}</td><td>milliseconds</td><td>200</td><td>{@code pushed} only:
 *     longest a silent invalidation link may go unnoticed</td></tr>
 * <tr><td>{@code bump.timeout}</td><td>milliseconds</td><td>the data alias's {@code timeout}</td>
 *     <td>longest a commit waits for its bump before it joins the backlog ({@link BumpSettings})</td></tr>
 * <tr><td>{@code bump.replicas}</td><td>count</td><td>0</td><td>replicas that must acknowledge a
 *     bump (Redis {@code WAIT}) before the commit returns</td></tr>
 * <tr><td>{@code bump.replica-timeout}</td><td>milliseconds</td><td>100</td><td>how long the master
 *     waits for those acknowledgements</td></tr>
 * <tr><td>{@code bump.max-counters-per-call}</td><td>count</td><td>1000</td><td>counters one bump
 *     script moves; larger bumps are split</td></tr>
 * </table>
 *
 * <table>
 * <caption>Per-alias settings: {@code backends.<alias>.<key>}</caption>
 * <tr><th>Key</th><th>Unit</th><th>Default</th><th>Meaning</th></tr>
 * <tr><td>{@code type}</td><td>{@code memory|redis}</td><td>{@code memory}</td><td>backend kind</td></tr>
 * <tr><td>{@code serializer}</td><td>{@code msgpack|none}</td><td>none</td><td>msgpack = data
 *     alias, none = counter alias</td></tr>
 * <tr><td>{@code namespace}</td><td>string</td><td>{@code loom:<alias>}</td><td>Redis key prefix
 *     ({@code <namespace>:<key>}); {@code clear} only deletes this prefix</td></tr>
 * <tr><td>{@code max-size}</td><td>entries</td><td>global {@code max-size}</td><td>memory only</td></tr>
 * <tr><td>{@code address}</td><td>URI</td><td>{@code redis://127.0.0.1:6379}</td><td>single
 *     server; {@code rediss://} for TLS</td></tr>
 * <tr><td>{@code redisson-config}</td><td>file path</td><td>none</td><td>Redisson YAML for
 *     cluster/sentinel/replicated; excludes {@code address}, {@code database}, credentials,
 *     timeouts and retries (set them in that file)</td></tr>
 * <tr><td>{@code database}</td><td>index</td><td>0</td><td>Redis logical database</td></tr>
 * <tr><td>{@code username}</td><td>string</td><td>none</td><td>Redis ACL user</td></tr>
 * <tr><td>{@code password}</td><td>string</td><td>none</td><td>Redis password</td></tr>
 * <tr><td>{@code timeout}</td><td>milliseconds</td><td>500</td><td>command response timeout</td></tr>
 * <tr><td>{@code connect-timeout}</td><td>milliseconds</td><td>2000</td><td>connect timeout</td></tr>
 * <tr><td>{@code retry-attempts}</td><td>count</td><td>1</td><td>command retries before failing</td></tr>
 * </table>
 *
 * <p>Validation fails fast with {@link CacheConfigException} naming the key: unknown keys,
 * negative or zero TTLs, a data or counter alias without a backend, a counter alias with a
 * serializer, a data alias without one, {@code address} together with {@code redisson-config},
 * Redis-only keys on a memory alias.
 */
public final class CacheSettings {

    /** Prefix of flat properties, e.g. {@code loom.cache.default-ttl=300}. */
    public static final String PROPERTY_PREFIX = "loom.cache.";

    public static final String ENABLED = "enabled";
    public static final String ALIAS = "alias";
    public static final String COUNTER_ALIAS = "counter-alias";
    public static final String DEFAULT_TTL = "default-ttl";
    public static final String DEFAULT_LIST_TTL = "default-list-ttl";
    public static final String NEGATIVE_TTL = "negative-ttl";
    public static final String TTL = "ttl";
    public static final String MAX_SIZE = "max-size";
    public static final String MAX_VALUE_BYTES = "max-value-bytes";
    public static final String BACKENDS = "backends";
    public static final String NEAR_CACHE = "near-cache";
    public static final String NEAR_MODE = "mode";
    public static final String NEAR_MAX_ENTRIES = "max-entries";
    public static final String NEAR_MAX_LAG = "max-lag";
    public static final String NEAR_LEASE = "lease";
    public static final String NEAR_RENEWAL = "renewal";
    public static final String NEAR_DRIFT_MARGIN = "drift-margin";
    public static final String NEAR_ACK_TIMEOUT = "ack-timeout";
    public static final String BUMP = "bump";
    public static final String BUMP_TIMEOUT = "timeout";
    public static final String BUMP_REPLICAS = "replicas";
    public static final String BUMP_REPLICA_TIMEOUT = "replica-timeout";
    public static final String BUMP_MAX_COUNTERS_PER_CALL = "max-counters-per-call";

    public static final String TYPE = "type";
    public static final String SERIALIZER = "serializer";
    public static final String NAMESPACE = "namespace";
    public static final String ADDRESS = "address";
    public static final String REDISSON_CONFIG = "redisson-config";
    public static final String DATABASE = "database";
    public static final String USERNAME = "username";
    public static final String PASSWORD = "password";
    public static final String TIMEOUT = "timeout";
    public static final String CONNECT_TIMEOUT = "connect-timeout";
    public static final String RETRY_ATTEMPTS = "retry-attempts";

    private CacheSettings() {
    }
}
