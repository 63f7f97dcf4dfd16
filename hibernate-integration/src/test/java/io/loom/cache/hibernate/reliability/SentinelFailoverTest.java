package io.loom.cache.hibernate.reliability;

import io.loom.cache.testing.Await;
import io.loom.cache.testing.RedisServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.redisson.config.ReadMode;
import org.redisson.config.SentinelServersConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A master, a replica and three Sentinels, all started by the test on free ports; two nodes under
 * load whose bumps must be acknowledged by the replica ({@code bump.replicas=1}) before
 * {@code commit()} returns. The master is killed; the Sentinels promote the replica, which holds
 * every acknowledged bump, so no node reads an entry a returned commit invalidated. A new replica
 * of the promoted master then lets the bumps kept meanwhile be acknowledged and cache hits resume.
 */
class SentinelFailoverTest {

    private static final String MASTER_NAME = "loom";

    private final List<RedisServerProcess> servers = new ArrayList<>();
    private TwoNodeLoad load;

    @AfterEach
    void stop() {
        if (load != null) {
            load.close();
        }
        servers.forEach(RedisServerProcess::close);
    }

    private RedissonClient client(List<RedisServerProcess> sentinels) {
        Config config = new Config();
        SentinelServersConfig sentinel = config.useSentinelServers().setMasterName(MASTER_NAME)
                .setReadMode(ReadMode.MASTER).setCheckSentinelsList(false)
                .setTimeout(RedisFaultsTest.TIMEOUT_MILLIS).setConnectTimeout(RedisFaultsTest.TIMEOUT_MILLIS)
                .setRetryAttempts(1).setScanInterval(200);
        sentinels.forEach(s -> sentinel.addSentinelAddress(s.address()));
        return Redisson.create(config);
    }

    @Test
    void masterKilledUnderLoad_replicaPromoted_noStaleRead_noFailedCall_hitsResume() throws Exception {
        RedisServerProcess master = start(RedisServerProcess.start());
        RedisServerProcess replica = start(RedisServerProcess.replicaOf(master));
        Await.until(() -> replica.command("INFO", "replication").contains("master_link_status:up"), TwoNodeLoad.WAIT,
                "the replica in sync");
        List<RedisServerProcess> sentinels = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sentinels.add(start(RedisServerProcess.sentinel(MASTER_NAME, master)));
        }
        for (RedisServerProcess sentinel : sentinels) {
            Await.until(() -> sentinel.command("SENTINEL", "REPLICAS", MASTER_NAME)
                    .contains(Integer.toString(replica.port())), TwoNodeLoad.WAIT,
                    "sentinel " + sentinel.port() + " sees the replica");
        }
        load = new TwoNodeLoad(() -> client(sentinels), Map.of(
                "loom.cache.bump.replicas", "1", "loom.cache.bump.replica-timeout", "200"));
        load.start().awaitPhase("load before the failover");
        assertTrue(master.commandCalls("wait") > 0, "bumps waited for the replica");

        master.stop();
        Await.until(() -> sentinels.get(0).command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME)
                .contains(Integer.toString(replica.port())), TwoNodeLoad.WAIT, "the replica promoted");
        load.awaitPhase("load after the failover");
        // Until the promoted master has a replica again no bump can be acknowledged: commits return
        // after one budget and the nodes read from the database. A new replica lets the backlogs go.
        RedisServerProcess newReplica = start(RedisServerProcess.replicaOf(replica));
        Await.until(() -> newReplica.command("INFO", "replication").contains("master_link_status:up"), TwoNodeLoad.WAIT,
                "the new replica in sync");
        load.awaitPhase("load with the new replica");
        load.finishAndAssert();
    }

    private RedisServerProcess start(RedisServerProcess server) {
        servers.add(server);
        return server;
    }
}
