package io.loom.cache.hibernate.e2e;

import io.loom.cache.hibernate.LoomHibernateSettings;
import io.loom.cache.hibernate.model.TestDatabase;
import io.loom.cache.testing.RedisTestNamespace;
import org.redisson.api.RedissonClient;

import java.util.HashMap;
import java.util.Map;

/**
 * Two application nodes on one H2 database and one Redis namespace: node A seeds the database and
 * reaches Redis through the client the integrator builds from its properties; node B opens the
 * same database without schema generation and is given its own Redisson client.
 */
final class TwoNodes implements AutoCloseable {

    final LoomTestUnit a;
    final LoomTestUnit b;
    private final RedissonClient clientOfB;

    private TwoNodes(LoomTestUnit a, LoomTestUnit b, RedissonClient clientOfB) {
        this.a = a;
        this.b = b;
        this.clientOfB = clientOfB;
    }

    static TwoNodes start(String namespace) {
        return start(namespace, Map.of());
    }

    /** Two nodes with {@code extra} Loom properties on both. */
    static TwoNodes start(String namespace, Map<String, Object> extra) {
        String url = TestDatabase.sharedH2Url();
        // Generous command timeouts: on a starved CI machine a client-side timeout would turn into a
        // simulated partition (a bump that reaches Redis late), which RedisOutageTest covers on its own.
        Map<String, Object> first = new HashMap<>(extra);
        first.put("jakarta.persistence.jdbc.url", url);
        first.put("loom.cache.backends.default.timeout", "5s");
        LoomTestUnit a = LoomTestUnit.h2OnRedis(namespace, first, true);
        RedissonClient clientOfB = RedisTestNamespace.newClient();
        try {
            Map<String, Object> second = new HashMap<>(extra);
            second.put("jakarta.persistence.jdbc.url", url);
            second.put("jakarta.persistence.schema-generation.database.action", "none");
            second.put(LoomHibernateSettings.REDISSON_CLIENT, clientOfB);
            return new TwoNodes(a, LoomTestUnit.h2OnRedis(namespace, second, false), clientOfB);
        } catch (RuntimeException e) {
            a.close();
            clientOfB.shutdown();
            throw e;
        }
    }

    /** Book ids seeded by node A. */
    long bookId(int index) {
        return a.bookId(index);
    }

    @Override
    public void close() {
        try {
            b.close();
            a.close();
        } finally {
            clientOfB.shutdown();
        }
    }
}
