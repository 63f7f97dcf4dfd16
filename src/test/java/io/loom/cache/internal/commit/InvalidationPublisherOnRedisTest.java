package io.loom.cache.internal.commit;

import io.loom.cache.internal.generation.RedisGenerationStore;
import io.loom.cache.internal.read.CacheGuard;
import io.loom.cache.internal.read.CacheMetrics;
import io.loom.cache.invalidation.GenerationalDependencyResolver;
import io.loom.cache.invalidation.Invalidation;
import io.loom.cache.testing.RedisServerProcess;
import io.loom.cache.testing.TestStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The publisher on a redis-server the test stops and starts; the background retry is disabled
 * (an hour apart), so only the committing thread delivers.
 */
class InvalidationPublisherOnRedisTest {

    private RedisServerProcess redis;
    private RedissonClient client;
    private RedisGenerationStore store;
    private CacheGuard guard;
    private InvalidationPublisher publisher;

    @BeforeEach
    void start() {
        redis = RedisServerProcess.start();
        Config config = new Config();
        config.useSingleServer().setAddress(redis.address()).setTimeout(300).setConnectTimeout(300).setRetryAttempts(0);
        client = Redisson.create(config);
        store = TestStores.redis(client, "p");
        guard = CacheGuard.standard(Duration.ofSeconds(2));
        publisher = new InvalidationPublisher(new GenerationalDependencyResolver(store), guard, new CacheMetrics(),
                Duration.ofHours(1));
    }

    @AfterEach
    void stop() {
        publisher.close();
        client.shutdown();
        redis.close();
    }

    /**
     * A commit after an outage delivers its own changes and the backlog before it returns, even
     * while the circuit is still open: joining the backlog would let other nodes serve what it
     * invalidated until the next retry.
     */
    @Test
    void commitAfterOutage_deliversItsChangesWithTheBacklog_beforeItReturns() {
        AtomicInteger delivered = new AtomicInteger();
        redis.stop();
        publisher.publish(new Invalidation(Set.of("w:book"), Set.of("r:book:1")), delivered::incrementAndGet);
        assertEquals(1, publisher.pendingCount());
        assertTrue(guard.hasPendingInvalidations());
        assertFalse(guard.closed(), "the failed bump opened the circuit");

        redis.restart();
        publisher.publish(new Invalidation(Set.of("w:author"), Set.of("r:author:1")), delivered::incrementAndGet);
        assertEquals(0, publisher.pendingCount(), "the backlog went out with the commit");
        assertEquals(2, delivered.get(), "each callback ran once");
        assertFalse(guard.hasPendingInvalidations());
        List<String> epochs = store.generations(List.of("w:book", "w:author"));
        assertNotNull(epochs.get(0), "the kept epoch moved");
        assertNotNull(epochs.get(1), "the commit's own epoch moved");

        publisher.retryPending();
        assertEquals(2, delivered.get(), "a delivered change is not delivered again");
    }

    @Test
    void failedCommit_keepsItsChanges_andRunsNoCallback() {
        AtomicInteger delivered = new AtomicInteger();
        redis.stop();
        publisher.publish(new Invalidation(Set.of("w:book"), Set.of()), delivered::incrementAndGet);
        publisher.publish(new Invalidation(Set.of("w:book"), Set.of()), delivered::incrementAndGet);
        assertEquals(2, publisher.pendingCount(), "two equal changes are two commits");
        assertEquals(0, delivered.get());
        redis.restart();
        publisher.retryPending();
        assertEquals(0, publisher.pendingCount());
        assertEquals(2, delivered.get());
        assertNull(store.generations(List.of("w:other")).get(0));
    }
}
