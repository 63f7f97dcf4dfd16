package io.loom.cache.testing;

import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A unique key namespace on the shared test Redis (127.0.0.1:6379) for one test class, e.g.
 * {@code test:MyTest:3f9a1c}. {@link #cleanup()} / {@link #close()} delete only keys under that
 * prefix (SCAN + DEL); nothing else on the server is touched.
 *
 * <pre>{@code
 * static final RedisTestNamespace NS = RedisTestNamespace.create(MyTest.class);
 * @AfterAll static void cleanUp() { NS.close(); }
 * }</pre>
 */
public final class RedisTestNamespace implements AutoCloseable {

    /** Address of the shared test Redis. */
    public static final String ADDRESS = "redis://127.0.0.1:6379";

    private static RedissonClient sharedClient;

    private final String namespace;

    private RedisTestNamespace(String namespace) {
        this.namespace = namespace;
    }

    /** A fresh namespace {@code test:<SimpleName>:<random hex>}. */
    public static RedisTestNamespace create(Class<?> owner) {
        return new RedisTestNamespace("test:" + owner.getSimpleName() + ":"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL));
    }

    /** The namespace, without trailing colon. */
    public String namespace() {
        return namespace;
    }

    /** A sub-namespace {@code <namespace>:<suffix>}, cleaned up together with this one. */
    public String child(String suffix) {
        return namespace + ":" + suffix;
    }

    /** The full Redis key {@code <namespace>:<key>}. */
    public String key(String key) {
        return namespace + ":" + key;
    }

    /** A client shared by all test namespaces of this JVM (do not shut it down). */
    public static synchronized RedissonClient client() {
        if (sharedClient == null) {
            sharedClient = newClient();
            Runtime.getRuntime().addShutdownHook(new Thread(sharedClient::shutdown));
        }
        return sharedClient;
    }

    /** A new, separate client on the test Redis; the caller shuts it down. */
    public static RedissonClient newClient() {
        Config config = new Config();
        config.useSingleServer().setAddress(ADDRESS).setConnectionMinimumIdleSize(2);
        return Redisson.create(config);
    }

    /** Deletes every key under {@code <namespace>:}; returns how many were deleted. */
    public long cleanup() {
        String pattern = escape(namespace) + ":*";
        List<String> keys = new ArrayList<>();
        try (Stream<String> s = client().getKeys().getKeysStreamByPattern(pattern, 500)) {
            s.forEach(keys::add);
        }
        long deleted = 0;
        for (int i = 0; i < keys.size(); i += 500) {
            deleted += client().getKeys().delete(keys.subList(i, Math.min(keys.size(), i + 500)).toArray(String[]::new));
        }
        return deleted;
    }

    /** Same as {@link #cleanup()}. */
    @Override
    public void close() {
        cleanup();
    }

    private static String escape(String text) {
        return text.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }
}
