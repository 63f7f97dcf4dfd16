package io.loom.cache.internal.cluster;

import io.loom.cache.internal.generation.BumpCall;
import org.redisson.Redisson;
import org.redisson.api.BatchOptions;
import org.redisson.api.BatchResult;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisException;
import org.redisson.client.RedisOutOfMemoryException;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.protocol.RedisCommands;
import org.redisson.command.CommandAsyncExecutor;
import org.redisson.command.CommandBatchService;
import org.redisson.connection.ConnectionManager;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The round trips of {@link ClusterGenerationStore}: keys grouped by cluster slot (a script
 * touches one slot only), commands of one wave pipelined per master and sent to every master in
 * parallel (Redisson batches), so a wave costs one round trip to each master it touches.
 * Redirections (MOVED during a migration or after a failover, ASK while a slot moves) are
 * followed by Redisson per command. Thread-safe.
 */
final class ClusterCalls {

    private final RedissonClient client;
    private final ConnectionManager connections;
    private final CommandAsyncExecutor executor;

    ClusterCalls(RedissonClient client) {
        this.client = client;
        this.executor = client instanceof Redisson redisson ? redisson.getCommandExecutor() : null;
        this.connections = executor == null ? null : executor.getConnectionManager();
    }

    RedissonClient client() {
        return client;
    }

    /** The cluster slot of {@code key} (hash tags respected). */
    int slot(String key) {
        if (connections != null) {
            return connections.calcSlot(key);
        }
        return org.redisson.connection.CRC16.crc16(key.getBytes(StandardCharsets.UTF_8)) % 16384;
    }

    /** The master a slot's writes go to now (a grouping for per-master acknowledgements). */
    Object masterOf(int slot) {
        return connections == null ? "one" : connections.getWriteEntry(slot);
    }

    /**
     * One wave of GETs: the values of {@code keys}, in order, null where absent. Always from the
     * masters, whatever the client's read mode: a replica may not hold a bump yet, and an entry
     * validated against its older counter could be served after the commit returned.
     */
    List<byte[]> get(List<String> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        if (executor != null) {
            CommandBatchService batch = new CommandBatchService(executor, BatchOptions.defaults());
            List<RFuture<Object>> futures = new ArrayList<>(keys.size());
            for (String key : keys) {
                futures.add(batch.writeAsync(key, ByteArrayCodec.INSTANCE, RedisCommands.GET, key));
            }
            batch.execute();
            List<byte[]> values = new ArrayList<>(keys.size());
            for (RFuture<Object> future : futures) {
                values.add((byte[]) future.toCompletableFuture().join());
            }
            return values;
        }
        RBatch batch = client.createBatch(BatchOptions.defaults());
        List<RFuture<Object>> futures = new ArrayList<>(keys.size());
        for (String key : keys) {
            futures.add(batch.getBucket(key, ByteArrayCodec.INSTANCE).getAsync());
        }
        batch.execute();
        List<byte[]> values = new ArrayList<>(keys.size());
        for (RFuture<Object> future : futures) {
            values.add((byte[]) future.toCompletableFuture().join());
        }
        return values;
    }

    /**
     * One wave of a script, one call per group (each group one slot), with the default options.
     *
     * @return the replies, one per group, in order
     */
    List<Object> eval(String script, RScript.ReturnType type, List<List<String>> groups, Object... args) {
        if (groups.isEmpty()) {
            return List.of();
        }
        return loaded(script, () -> evalOnce(script, type, groups, args));
    }

    /** {@link #eval} with arguments of each group's own ({@code args.get(i)} for group i). */
    List<Object> evalEach(String script, RScript.ReturnType type, List<List<String>> groups, List<Object[]> args) {
        if (groups.isEmpty()) {
            return List.of();
        }
        return loaded(script, () -> evalEachOnce(script, type, groups, args));
    }

    private List<Object> evalOnce(String script, RScript.ReturnType type, List<List<String>> groups, Object... args) {
        List<Object[]> each = new ArrayList<>(groups.size());
        groups.forEach(group -> each.add(args));
        return evalEachOnce(script, type, groups, each);
    }

    private List<Object> evalEachOnce(String script, RScript.ReturnType type, List<List<String>> groups,
                                      List<Object[]> args) {
        RBatch batch = client.createBatch(BatchOptions.defaults());
        List<RFuture<Object>> futures = new ArrayList<>(groups.size());
        for (int i = 0; i < groups.size(); i++) {
            futures.add(batch.getScript(ByteArrayCodec.INSTANCE).evalAsync(RScript.Mode.READ_WRITE, script, type,
                    new ArrayList<>(groups.get(i)), args.get(i)));
        }
        batch.execute();
        List<Object> replies = new ArrayList<>(groups.size());
        for (RFuture<Object> future : futures) {
            replies.add(future.toCompletableFuture().join());
        }
        return replies;
    }

    /**
     * One bounded wave of a script on the commit path: one batch per master, sent in parallel, no
     * retries, waited for until {@code deadlineNanos}; with {@code replicas > 0} each master's
     * batch ends with WAIT and must be acknowledged by that many of its replicas.
     *
     * @return the replies, one per group, in order
     * @throws RedisException when any master failed, refused, was late or under-acknowledged
     */
    List<Object> boundedEval(String script, RScript.ReturnType type, List<List<String>> groups, List<Object[]> args,
                             long deadlineNanos, int replicas, long replicaTimeoutMillis) {
        return loaded(script, () -> boundedEvalOnce(script, type, groups, args, deadlineNanos, replicas,
                replicaTimeoutMillis));
    }

    /**
     * Runs {@code call}; when a master answered NOSCRIPT (a replica just promoted, a restarted
     * master: Redisson sends scripts by digest), loads the script on every master and runs the
     * call again. Every call here may run twice: moving a counter twice only invalidates more,
     * and creating or stamping is idempotent.
     */
    private <T> T loaded(String script, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            if (!noScript(e)) {
                throw e;
            }
            client.getScript(ByteArrayCodec.INSTANCE).scriptLoad(script);
            return call.get();
        }
    }

    private static boolean noScript(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof org.redisson.client.RedisNoScriptException
                    || (e.getMessage() != null && e.getMessage().contains("NOSCRIPT"))) {
                return true;
            }
        }
        return false;
    }

    private List<Object> boundedEvalOnce(String script, RScript.ReturnType type, List<List<String>> groups,
                                         List<Object[]> args, long deadlineNanos, int replicas,
                                         long replicaTimeoutMillis) {
        Map<Object, RBatch> batches = new IdentityHashMap<>();
        List<RFuture<Object>> futures = new ArrayList<>(groups.size());
        long remaining = remainingMillis(deadlineNanos);
        for (int i = 0; i < groups.size(); i++) {
            List<String> group = groups.get(i);
            RBatch batch = batches.computeIfAbsent(masterOf(slot(group.get(0))), master -> {
                BatchOptions options = BatchOptions.defaults().retryAttempts(0)
                        .responseTimeout(remaining, TimeUnit.MILLISECONDS);
                if (replicas > 0) {
                    options = options.syncSlaves(replicas, replicaTimeoutMillis, TimeUnit.MILLISECONDS);
                }
                return client.createBatch(options);
            });
            futures.add(batch.getScript(ByteArrayCodec.INSTANCE).evalAsync(RScript.Mode.READ_WRITE, script, type,
                    new ArrayList<>(group), args.get(i)));
        }
        List<CompletableFuture<BatchResult<?>>> results = new ArrayList<>(batches.size());
        for (RBatch batch : batches.values()) {
            results.add(batch.executeAsync().toCompletableFuture());
        }
        for (CompletableFuture<BatchResult<?>> result : results) {
            BatchResult<?> done = await(result, deadlineNanos);
            if (replicas > 0 && done.getSyncedSlaves() < replicas) {
                throw new RedisException("bump acknowledged by " + done.getSyncedSlaves() + " of " + replicas
                        + " replicas of a master within " + replicaTimeoutMillis + " ms");
            }
        }
        List<Object> replies = new ArrayList<>(groups.size());
        for (RFuture<Object> future : futures) {
            replies.add(future.toCompletableFuture().join());
        }
        return replies;
    }

    private static <T> T await(CompletableFuture<T> future, long deadlineNanos) {
        return BumpCall.await(future, deadlineNanos - System.nanoTime(), "its budget");
    }

    private static long remainingMillis(long deadlineNanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    /** The text of a script shipped in this package. */
    static String script(String resource) {
        try (InputStream in = ClusterCalls.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read script " + resource, e);
        }
    }

    static boolean outOfMemory(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof RedisOutOfMemoryException || (e.getMessage() != null && e.getMessage().contains("OOM"))) {
                return true;
            }
        }
        return false;
    }

    static Duration commandTimeout(RedissonClient client) {
        if (client instanceof Redisson redisson) {
            return Duration.ofMillis(redisson.getServiceManager().getConfig().getTimeout());
        }
        return Duration.ofMillis(500);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] raw) {
        return new String(raw, StandardCharsets.UTF_8);
    }
}
