package io.loom.cache.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A local Redis Cluster of three masters, optionally with one replica each, owned by one test:
 * {@code redis-server --cluster-enabled yes} processes on free loopback ports, joined with
 * {@code redis-cli --cluster create}. {@link #redissonConfig()} is a Redisson YAML file for it.
 * {@link #moveSlots} migrates slots between masters (real MIGRATE, clients see ASK and MOVED),
 * {@link #failover} promotes a replica. {@link #close()} stops the processes by their own pids.
 */
public final class RedisClusterProcess implements AutoCloseable {

    private final List<RedisServerProcess> nodes = new ArrayList<>();
    private Path redissonConfig;

    private RedisClusterProcess() {
    }

    /** Starts three masters, creates the cluster and waits until every node reports it ok. */
    public static RedisClusterProcess start() {
        return start(0);
    }

    /** Three masters with {@code replicasPerMaster} replicas each (0 or 1). */
    public static RedisClusterProcess start(int replicasPerMaster) {
        return start(3, replicasPerMaster);
    }

    /**
     * {@code masters} masters (1, or 3 and more) with {@code replicasPerMaster} replicas each; one
     * master holds every slot itself (a one-node cluster, for comparisons), without replicas.
     */
    public static RedisClusterProcess start(int masters, int replicasPerMaster) {
        if (masters == 2 || masters < 1 || (masters == 1 && replicasPerMaster > 0)) {
            throw new IllegalArgumentException("masters must be 1 (no replicas) or at least 3, got " + masters);
        }
        RedisClusterProcess cluster = new RedisClusterProcess();
        try {
            for (int i = 0; i < masters * (1 + replicasPerMaster); i++) {
                // announce-ip: a node that never met another one does not know its own address
                cluster.nodes.add(RedisServerProcess.start("--cluster-enabled", "yes",
                        "--cluster-node-timeout", "2000", "--cluster-announce-ip", "127.0.0.1"));
            }
            if (masters == 1) {
                cluster.nodes.get(0).command("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
                cluster.finish(1);
                return cluster;
            }
            List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            cluster.nodes.forEach(node -> command.add("127.0.0.1:" + node.port()));
            command.addAll(List.of("--cluster-replicas", Integer.toString(replicasPerMaster), "--cluster-yes"));
            Process create = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(create.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!create.waitFor(60, TimeUnit.SECONDS) || create.exitValue() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed: " + output);
            }
            cluster.finish(masters);
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw new IllegalStateException("cannot start a Redis Cluster", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cluster.close();
            throw new IllegalStateException("interrupted while creating a Redis Cluster", e);
        }
    }

    /** Waits until the cluster is ok with {@code masters} masters, then writes the Redisson file. */
    private void finish(int masters) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!allOk() || masters().size() != masters) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("cluster did not reach state ok within 30 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        StringBuilder yaml = new StringBuilder("clusterServersConfig:\n  nodeAddresses:\n");
        nodes.forEach(node -> yaml.append("  - \"").append(node.address()).append("\"\n"));
        yaml.append("  timeout: 1000\n  retryAttempts: 1\n  scanInterval: 1000\n");
        redissonConfig = Files.createTempFile("loom-cluster", ".yaml");
        Files.writeString(redissonConfig, yaml.toString());
    }

    private boolean allOk() {
        return nodes.stream().filter(RedisServerProcess::isRunning)
                .allMatch(node -> node.command("CLUSTER", "INFO").contains("cluster_state:ok")
                        && !node.command("CLUSTER", "NODES").contains("fail?"));
    }

    /** The running nodes that are masters now. */
    public List<RedisServerProcess> masters() {
        return nodes.stream().filter(RedisServerProcess::isRunning).filter(node -> isMaster(node)).toList();
    }

    private static boolean isMaster(RedisServerProcess node) {
        return node.command("ROLE").contains("master");
    }

    /** The node's cluster id. */
    public static String nodeId(RedisServerProcess node) {
        String reply = node.command("CLUSTER", "MYID");
        String[] lines = reply.split("\r\n");
        return lines[lines.length - 1].trim();
    }

    /**
     * Migrates {@code slots} slots (with their keys) from {@code source} to {@code target} with
     * {@code redis-cli --cluster reshard}: each slot is set MIGRATING/IMPORTING, its keys are
     * MIGRATEd in batches, then the slot is assigned; clients see ASK and MOVED meanwhile.
     */
    public void moveSlots(RedisServerProcess source, RedisServerProcess target, int slots) {
        run(List.of("redis-cli", "--cluster", "reshard", "127.0.0.1:" + source.port(),
                "--cluster-from", nodeId(source), "--cluster-to", nodeId(target),
                "--cluster-slots", Integer.toString(slots), "--cluster-yes", "--cluster-pipeline", "10"));
        awaitOk();
    }

    /**
     * Promotes a replica of {@code master} with {@code CLUSTER FAILOVER} (the replica waits until
     * it caught up, then takes over) and waits until it is a master and the cluster is ok.
     *
     * @return the promoted node
     */
    public RedisServerProcess failover(RedisServerProcess master) {
        RedisServerProcess replica = nodes.stream().filter(RedisServerProcess::isRunning)
                .filter(node -> !isMaster(node) && node.command("ROLE").contains(":" + master.port() + "\r\n"))
                .findFirst().orElseThrow(() -> new IllegalStateException("no replica of " + master.port()));
        String reply = replica.command("CLUSTER", "FAILOVER");
        if (!reply.startsWith("+OK")) {
            throw new IllegalStateException("CLUSTER FAILOVER refused: " + reply);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!isMaster(replica) || isMaster(master) || !allOk()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("failover to " + replica.port() + " did not complete within 30 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        return replica;
    }

    /** Whether a running replica follows {@code master}. */
    public boolean hasReplica(RedisServerProcess master) {
        return nodes.stream().filter(RedisServerProcess::isRunning)
                .anyMatch(node -> !isMaster(node) && node.command("ROLE").contains(":" + master.port() + "\r\n"));
    }

    /**
     * Kills {@code master} (SIGKILL to its pid, as a crash) and waits until the cluster promoted
     * its replica (after the node timeout, 2 s) and is ok again.
     */
    public void killMaster(RedisServerProcess master) {
        if (!hasReplica(master)) {
            throw new IllegalStateException("no replica of " + master.port() + " to promote");
        }
        master.stop();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (masters().size() < 3 || !allOk()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no replica of " + master.port() + " took over within 30 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    /**
     * Starts a killed node again on its port with its cluster state (nodes.conf), empty of data:
     * it rejoins as a replica of the master that took its slots. Waits until every master has a
     * replica again and the cluster is ok.
     */
    public void rejoin(RedisServerProcess node) {
        node.restart();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!allOk() || !masters().stream().allMatch(this::hasReplica)
                || !node.command("INFO", "replication").contains("master_link_status:up")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("node " + node.port() + " did not rejoin as a replica within 30 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    private void awaitOk() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!allOk()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("cluster did not reach state ok within 30 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command.get(0), e);
        }
    }

    /** Path of a Redisson YAML configuration reaching the cluster. */
    public String redissonConfig() {
        return redissonConfig.toString();
    }

    public List<RedisServerProcess> nodes() {
        return List.copyOf(nodes);
    }

    @Override
    public void close() {
        nodes.forEach(RedisServerProcess::close);
        if (redissonConfig != null) {
            try {
                Files.deleteIfExists(redissonConfig);
            } catch (IOException ignored) {
                // temporary file
            }
        }
    }
}
