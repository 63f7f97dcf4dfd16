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
 * A local Redis Cluster of three masters (no replicas) owned by one test: three
 * {@code redis-server --cluster-enabled yes} processes on free loopback ports, joined with
 * {@code redis-cli --cluster create}. {@link #redissonConfig()} is a Redisson YAML file for it.
 * {@link #close()} stops the processes by their own pids.
 */
public final class RedisClusterProcess implements AutoCloseable {

    private final List<RedisServerProcess> nodes = new ArrayList<>();
    private Path redissonConfig;

    private RedisClusterProcess() {
    }

    /** Starts the three nodes, creates the cluster and waits until every node reports it ok. */
    public static RedisClusterProcess start() {
        RedisClusterProcess cluster = new RedisClusterProcess();
        try {
            for (int i = 0; i < 3; i++) {
                cluster.nodes.add(RedisServerProcess.start("--cluster-enabled", "yes",
                        "--cluster-node-timeout", "2000"));
            }
            List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            cluster.nodes.forEach(node -> command.add("127.0.0.1:" + node.port()));
            command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            Process create = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(create.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!create.waitFor(60, TimeUnit.SECONDS) || create.exitValue() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed: " + output);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!cluster.allOk()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("cluster did not reach state ok within 30 s");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            StringBuilder yaml = new StringBuilder("clusterServersConfig:\n  nodeAddresses:\n");
            cluster.nodes.forEach(node -> yaml.append("  - \"").append(node.address()).append("\"\n"));
            yaml.append("  timeout: 1000\n  retryAttempts: 1\n  scanInterval: 1000\n");
            cluster.redissonConfig = Files.createTempFile("loom-cluster", ".yaml");
            Files.writeString(cluster.redissonConfig, yaml.toString());
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

    private boolean allOk() {
        return nodes.stream().allMatch(node -> node.command("CLUSTER", "INFO").contains("cluster_state:ok"));
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
