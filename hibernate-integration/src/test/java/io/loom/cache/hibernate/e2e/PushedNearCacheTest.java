package io.loom.cache.hibernate.e2e;

import io.loom.cache.stats.CacheStats;
import io.loom.cache.testing.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.loom.cache.hibernate.e2e.TwoNodes.rename;
import static io.loom.cache.hibernate.e2e.TwoNodes.title;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two nodes with {@code near-cache.mode=pushed}: hits without a round trip, the committing node
 * reads its own writes at once, the other node sees them once the message arrives and never reads
 * a version older than one it has already read.
 */
class PushedNearCacheTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static TwoNodes nodes;

    @BeforeAll
    static void start() {
        nodes = TwoNodes.start(PushedNearCacheTest.class, Map.of("loom.cache.near-cache.mode", "pushed"));
    }

    @AfterAll
    static void stop() {
        nodes.close();
    }

    @Test
    void writerReadsItsOwnWritesAtOnce_otherNodeSeesThemWhenTheMessageArrives_andNeverGoesBack() {
        long id = nodes.bookId(20);
        rename(nodes.a, id, "v0");
        title(nodes.a, id);
        title(nodes.b, id);
        CacheStats beforeB = nodes.b.stats("book");
        long lastSeenOnB = 0;
        for (int version = 1; version <= 200; version++) {
            LoomTestUnit writer = version % 2 == 0 ? nodes.a : nodes.b;
            LoomTestUnit other = writer == nodes.a ? nodes.b : nodes.a;
            rename(writer, id, "v" + version);
            assertEquals("v" + version, title(writer, id), "the committing node reads its own write");
            long seen = Long.parseLong(title(other, id).substring(1));
            assertTrue(seen == version || seen == version - 1, "the other node read v" + seen + " after v" + version);
            if (other == nodes.b) {
                assertTrue(seen >= lastSeenOnB, "node B went back from v" + lastSeenOnB + " to v" + seen);
                lastSeenOnB = seen;
            }
            String target = "v" + version;
            Await.until(() -> title(other, id).equals(target), WAIT, "the other node never saw " + target);
        }
        for (int i = 0; i < 10; i++) {
            assertEquals("v200", title(nodes.b, id));
        }
        assertTrue(nodes.b.stats("book").minus(beforeB).nearHits() >= 10, "node B served hits from its near cache");
    }
}
