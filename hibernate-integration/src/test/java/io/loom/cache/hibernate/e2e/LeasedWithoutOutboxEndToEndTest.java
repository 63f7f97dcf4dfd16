package io.loom.cache.hibernate.e2e;

import io.loom.cache.testing.Await;
import io.loom.cache.testing.RedisTestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.loom.cache.hibernate.e2e.TwoNodes.rename;
import static io.loom.cache.hibernate.e2e.TwoNodes.title;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code near-cache.mode=leased} with {@code loom.hibernate.outbox=false}: no outbox, but every
 * commit is still announced before the database commits (the other node acknowledges meanwhile),
 * and nothing is recorded for a replay.
 */
class LeasedWithoutOutboxEndToEndTest {

    private static RedisTestNamespace namespace;
    private static TwoNodes nodes;

    @BeforeAll
    static void start() {
        namespace = RedisTestNamespace.create(LeasedWithoutOutboxEndToEndTest.class);
        nodes = TwoNodes.start(namespace.namespace(), Map.of("loom.cache.near-cache.mode", "leased",
                "loom.hibernate.outbox", "false"));
    }

    @AfterAll
    static void stop() {
        nodes.close();
        namespace.close();
    }

    /** The invalidation sequence: every announcement and every bump takes one number. */
    private static long sequence() {
        RedissonClient client = RedisTestNamespace.client();
        long sequence = 0;
        for (String key : client.getKeys().getKeysByPattern(namespace.namespace() + "*~seq")) {
            sequence += Long.parseLong(client.getBucket(key, StringCodec.INSTANCE).get().toString());
        }
        return sequence;
    }

    private static long records() {
        RedissonClient client = RedisTestNamespace.client();
        long records = 0;
        for (String key : client.getKeys().getKeysByPattern(namespace.namespace() + "*~intents")) {
            records += client.getScoredSortedSet(key, StringCodec.INSTANCE).size();
        }
        return records;
    }

    @Test
    void everyCommitIsAnnouncedBeforeItsBump_andReadOnTheOtherNodeRightAfter() {
        long id = nodes.bookId(31);
        rename(nodes.a, id, "v0");
        assertEquals("v0", title(nodes.b, id));
        // A commit whose bump found no other member is not announced (nobody to tell): wait until
        // node B holds a lease and node A's last bump saw it.
        AtomicInteger warm = new AtomicInteger();
        Await.until(() -> {
            long start = sequence();
            rename(nodes.a, id, "w" + warm.incrementAndGet());
            return sequence() - start == 2;
        }, "node A never announced a commit to node B");
        long before = sequence();
        for (int version = 1; version <= 5; version++) {
            rename(nodes.a, id, "v" + version);
            assertEquals("v" + version, title(nodes.b, id), "the other node's read after the returned commit");
        }
        assertEquals(10, sequence() - before, "each commit took two numbers: its announcement and its bump");
        assertEquals(0, records(), "without an outbox nothing is recorded for a replay");
    }
}
