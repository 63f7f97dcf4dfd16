package io.loom.cache.hibernate.e2e;

import io.loom.cache.hibernate.LoomHibernateSettings;
import io.loom.cache.hibernate.model.Book;
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
    /** The namespace these nodes own and drop on close, or null when the caller owns it. */
    private RedisTestNamespace ownNamespace;

    private TwoNodes(LoomTestUnit a, LoomTestUnit b, RedissonClient clientOfB) {
        this.a = a;
        this.b = b;
        this.clientOfB = clientOfB;
    }

    /** Two nodes with {@code extra} Loom properties on a namespace of their own for {@code owner}. */
    static TwoNodes start(Class<?> owner, Map<String, Object> extra) {
        RedisTestNamespace namespace = RedisTestNamespace.create(owner);
        try {
            TwoNodes nodes = start(namespace.namespace(), extra);
            nodes.ownNamespace = namespace;
            return nodes;
        } catch (RuntimeException e) {
            namespace.close();
            throw e;
        }
    }

    /** The title of book {@code id} as {@code node} reads it through its cache. */
    static String title(LoomTestUnit node, long id) {
        return node.books.getById(id).orElseThrow().title();
    }

    /** Renames book {@code id} in one committed transaction of {@code node}. */
    static void rename(LoomTestUnit node, long id, String title) {
        node.emf().runInTransaction(em -> em.find(Book.class, id).setTitle(title));
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
            if (ownNamespace != null) {
                ownNamespace.close();
            }
        }
    }
}
