package io.loom.cache.internal.generation;

import io.loom.cache.gateway.GenerationStore;
import io.loom.cache.gateway.GenerationStore.Status;
import io.loom.cache.testing.Await;
import io.loom.cache.testing.RedisServerProcess;
import io.loom.cache.testing.TestStores;
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

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The store reads where the bumps run: with a master and a replica and Redisson's default read
 * mode (replicas), a read must still see the master's counters. The replica is made to disagree
 * with its master on one counter (a replica that has not received a bump yet looks the same).
 */
class RedisGenerationStoreOnReplicasTest {

    private static RedisServerProcess master;
    private static RedisServerProcess replica;
    private static RedissonClient client;

    @BeforeAll
    static void start() {
        master = RedisServerProcess.start();
        replica = RedisServerProcess.start("--replicaof", "127.0.0.1", Integer.toString(master.port()));
        Await.until(() -> replica.command("INFO", "replication").contains("master_link_status:up"),
                Duration.ofSeconds(20), "the replica never linked to its master");
        Config config = new Config();
        config.useMasterSlaveServers().setMasterAddress(master.address()).addSlaveAddress(replica.address());
        client = Redisson.create(config);
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.shutdown();
        }
        replica.close();
        master.close();
    }

    @Test
    void readsAndMissesUseTheMastersCounters_notAReplicasThatLagsBehind() {
        GenerationStore store = TestStores.redis(client, "replicas");
        byte[] payload = "v".getBytes(StandardCharsets.UTF_8);
        Set<String> tags = Set.of("e:book", "r:book:1");
        List<GenerationStore.EpochValue> epochs = store.read("absent", List.of("w:book")).epochs();
        assertEquals(true, store.store("book:1", payload, tags, epochs, Duration.ofMinutes(1)));
        Await.until(() -> !replica.command("GET", "replicas:gen:r:book:1").isBlank(), Duration.ofSeconds(10),
                "the counter never reached the replica");

        // The replica now disagrees: as if a bump had reached the master only.
        replica.command("CONFIG", "SET", "replica-read-only", "no");
        replica.command("SET", "replicas:gen:r:book:1", "1");

        assertEquals(Status.HIT, store.read("book:1", List.of("w:book")).status(), "read by script");
        assertEquals(Status.HIT, store.read("book:1", tags, List.of("w:book")).status(), "read by MGET");
    }
}
