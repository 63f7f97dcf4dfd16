package io.loom.cache.benchmarks;

/**
 * Where the benchmarks find their services and how big the data set is.
 *
 * <p>Every value can be overridden with a system property (pass it to the forked JVMs with
 * {@code -jvmArgsAppend -Dname=value}): {@code loom.bench.jdbcUrl}, {@code loom.bench.jdbcUser},
 * {@code loom.bench.redis}, {@code loom.bench.keyPrefix}. Immutable and thread-safe.
 *
 * @param jdbcUrl   PostgreSQL JDBC URL; default {@code jdbc:postgresql://127.0.0.1:5432/test}
 * @param jdbcUser  PostgreSQL user (trust authentication, no password); default {@code postgres}
 * @param redisAddress Redis address in Redisson form; default {@code redis://127.0.0.1:6379}
 * @param keyPrefix prefix of every Redis key the benchmarks write; default {@code loom-bench:}
 */
public record BenchSettings(String jdbcUrl, String jdbcUser, String redisAddress, String keyPrefix) {

    /** Rows seeded into {@link BenchDatabase#TABLE}. */
    public static final int ROWS = 10_000;
    /** Distinct values of the low-cardinality {@code category} column. */
    public static final int CATEGORIES = 20;
    /** Page size of the list scenario. */
    public static final int LIST_LIMIT = 20;

    /** Settings from system properties, falling back to the local defaults. */
    public static BenchSettings fromSystemProperties() {
        return new BenchSettings(
                System.getProperty("loom.bench.jdbcUrl", "jdbc:postgresql://127.0.0.1:5432/test"),
                System.getProperty("loom.bench.jdbcUser", "postgres"),
                System.getProperty("loom.bench.redis", "redis://127.0.0.1:6379"),
                System.getProperty("loom.bench.keyPrefix", "loom-bench:"));
    }

    /** The same settings pointed at another Redis address (the round-trip probe's own server). */
    public BenchSettings withRedisAddress(String address) {
        return new BenchSettings(jdbcUrl, jdbcUser, address, keyPrefix);
    }
}
