package io.loom.cache.internal.generation;

import io.loom.cache.gateway.GenerationStore.ReadResult;
import io.loom.cache.gateway.GenerationStore.Status;
import io.loom.cache.gateway.GenerationStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedisGenerationStoreTest extends RedisStoreContract {

    private static RedissonClient client;
    private static final String NAMESPACE = "test:RedisGenerationStoreTest:" + UUID.randomUUID() + ":";

    @BeforeAll
    static void connect() {
        Config config = new Config();
        config.useSingleServer().setAddress("redis://127.0.0.1:6379");
        client = Redisson.create(config);
    }

    @AfterAll
    static void cleanUp() {
        client.getKeys().deleteByPattern(NAMESPACE + "*");
        client.shutdown();
    }

    /**
     * Two nodes on one Redis: node A remembers the tags it stamped; node B replaces the entry with
     * one stamped with a further tag. A's next reads must validate that tag too.
     */
    @Test
    void rememberedTags_ofAnEntryReplacedByAnotherNode_neverHideItsNewTags() {
        String counters = NAMESPACE + UUID.randomUUID() + ":gen:";
        RedisGenerationStore nodeA = new RedisGenerationStore(client, NAMESPACE, counters, Duration.ofMinutes(5));
        RedisGenerationStore nodeB = new RedisGenerationStore(client, NAMESPACE, counters, Duration.ofMinutes(5));
        String key = entryKey("shared");
        byte[] payload = "v".getBytes(StandardCharsets.UTF_8);
        assertTrue(nodeA.store(key, payload, Set.of("e:book", "l:book"), List.of(), Duration.ofMinutes(1)));
        assertEquals(Status.HIT, nodeA.read(key, List.of("w:book")).status());

        assertTrue(nodeB.store(key, payload, Set.of("e:book", "l:book", "r:book:3"), List.of(), Duration.ofMinutes(1)));
        assertEquals(Status.HIT, nodeA.read(key, List.of("w:book")).status());
        nodeB.bump(Set.of("w:book"), Set.of("r:book:3"));
        for (int i = 0; i < 2; i++) {
            ReadResult read = nodeA.read(key, List.of("w:book"));
            assertEquals(Status.STALE, read.status(), "read " + i);
            assertEquals(nodeA.generations(List.of("w:book")).get(0), read.epochs().get(0).value());
        }
        assertEquals(Status.STALE, nodeB.read(key, List.of("w:book")).status());
    }

    @Override
    protected GenerationStore newStore() {
        String store = NAMESPACE + UUID.randomUUID() + ":";
        return new RedisGenerationStore(client, NAMESPACE, store + "gen:", Duration.ofMinutes(5));
    }

    @Override
    protected RedissonClient client() {
        return client;
    }

    @Override
    protected String namespace() {
        return NAMESPACE;
    }
}
