package io.loom.cache.internal.generation;

import org.redisson.api.BatchOptions;
import org.redisson.api.BatchResult;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RScript;
import org.redisson.api.RScriptAsync;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisException;
import org.redisson.client.RedisTimeoutException;
import org.redisson.client.codec.ByteArrayCodec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static io.loom.cache.internal.generation.LuaScript.bytes;

/*
 * The bump on the commit path: one attempt, bounded in time, optionally acknowledged by replicas.
 *
 * Bounded: the scripts go out as one Redisson batch with no retries and a response timeout of
 * the budget, and the committing thread waits for the batch at most the budget. A bump that is
 * late is reported failed (the caller keeps it for retry); it may still reach Redis afterwards,
 * which is harmless since moving a counter twice only invalidates more. Redisson's own retries
 * would make one attempt cost a multiple of the budget, so the batch asks for none.
 *
 * Chunked: a bump moving more than maxCountersPerCall counters is split into several scripts, so
 * the single-threaded server serves other clients between them instead of spending tens of
 * milliseconds on one call. The chunks still travel in one round trip. Their order does not
 * matter: a load that raced the commit is refused by the moved epoch (first chunk) if it stores
 * after it, or stamped with a dependency counter that a later chunk moves if it stored before;
 * and the caller returns only once every chunk is applied.
 *
 * Replicated: with replicas > 0 the batch ends with WAIT on the same connection (Redisson's
 * syncSlaves), so the bump is on that many replicas before commit() returns and a failover to one
 * of them keeps it. Fewer acknowledgements than asked count as a failure (the bump is retried).
 *
 * Leased near caches: every chunk that publishes returns its sequence and the members holding a
 * lease; the bump reports the highest sequence (a node acknowledges everything up to what it
 * applied, so one acknowledgement of it covers every chunk) and the union of members.
 *
 * The script is sent as EVAL with its source (a kilobyte): a server that restarted, or a replica
 * just promoted, has no cached script, and a NOSCRIPT reply would cost a second round trip inside
 * the budget. Loom's own clients turn Redisson's script cache off, or Redisson would send EVALSHA
 * after all; with an application's client that keeps it, a NOSCRIPT reply is answered by loading
 * the script and sending the bump once more.
 */
/** Runs one bump as bounded, possibly chunked, possibly replica-acknowledged script calls. */
public final class BumpCall {

    private final RedissonClient client;
    private final String source;
    private final Duration budget;
    private final int replicas;
    private final Duration replicaTimeout;
    private final int maxCountersPerCall;

    BumpCall(RedissonClient client, String source, Duration budget, int replicas, Duration replicaTimeout,
             int maxCountersPerCall) {
        this.client = client;
        this.source = source;
        this.budget = budget;
        this.replicas = replicas;
        this.replicaTimeout = replicaTimeout;
        this.maxCountersPerCall = maxCountersPerCall;
    }

    /** The script calls a bump of that many counters takes. */
    int calls(int counters) {
        return Math.max(1, (counters + maxCountersPerCall - 1) / maxCountersPerCall);
    }

    /**
     * Applies the bump or throws.
     *
     * @return the number of counters moved or created
     * @throws RedisException when Redis refused or failed it, or it did not complete within the budget
     */
    Bumped run(String counterPrefix, String channel, long leaseTermMillis, String origin, long prepared,
               Collection<String> epochTags, Collection<String> tags) {
        try {
            return runOnce(counterPrefix, channel, leaseTermMillis, origin, prepared, epochTags, tags);
        } catch (RuntimeException e) {
            if (!isNoScript(e)) {
                throw e;
            }
            // A client given by the application may use Redisson's script cache, which sends EVALSHA
            // for a script it once loaded; a server that forgot it answers NOSCRIPT before running
            // anything. Load it and send the bump once more.
            client.getScript(ByteArrayCodec.INSTANCE).scriptLoad(source);
            return runOnce(counterPrefix, channel, leaseTermMillis, origin, prepared, epochTags, tags);
        }
    }

    private static boolean isNoScript(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause.getMessage() != null && cause.getMessage().contains("NOSCRIPT")) {
                return true;
            }
        }
        return false;
    }

    private Bumped runOnce(String counterPrefix, String channel, long leaseTermMillis, String origin, long prepared,
                           Collection<String> epochTags, Collection<String> tags) {
        BatchOptions options = BatchOptions.defaults()
                .retryAttempts(0)
                .responseTimeout(budget.toMillis(), TimeUnit.MILLISECONDS);
        if (replicas > 0) {
            options = options.syncSlaves(replicas, replicaTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        RBatch batch = client.createBatch(options);
        List<String> epochs = List.copyOf(epochTags);
        List<String> deps = List.copyOf(tags);
        int total = epochs.size() + deps.size();
        int epochAt = 0;
        int depAt = 0;
        RScriptAsync script = batch.getScript(ByteArrayCodec.INSTANCE);
        int calls = calls(total);
        for (int call = 0; call < calls; call++) {
            List<Object> args = new ArrayList<>(6 + maxCountersPerCall);
            args.add(bytes(counterPrefix));
            args.add(null); // the chunk's epoch count, set below
            args.add(bytes(channel));
            args.add(bytes(Long.toString(leaseTermMillis)));
            args.add(bytes(origin));
            // Only the last message lifts the prepare's block: the earlier ones precede its counters.
            args.add(bytes(Long.toString(call == calls - 1 ? prepared : 0)));
            int room = maxCountersPerCall;
            int chunkEpochs = 0;
            while (room > 0 && epochAt < epochs.size()) {
                args.add(bytes(epochs.get(epochAt++)));
                chunkEpochs++;
                room--;
            }
            while (room > 0 && depAt < deps.size()) {
                args.add(bytes(deps.get(depAt++)));
                room--;
            }
            args.set(1, bytes(Integer.toString(chunkEpochs)));
            script.evalAsync(RScript.Mode.READ_WRITE, source,
                    RScript.ReturnType.LIST, List.of(bytes(counterPrefix)), args.toArray());
        }
        RFuture<BatchResult<?>> future = batch.executeAsync();
        BatchResult<?> result = await(future.toCompletableFuture(), TimeUnit.MILLISECONDS.toNanos(budget.toMillis()),
                budget.toMillis() + " ms");
        if (replicas > 0 && result.getSyncedSlaves() < replicas) {
            throw new RedisException("bump acknowledged by " + result.getSyncedSlaves() + " of " + replicas
                    + " replicas within " + replicaTimeout.toMillis() + " ms");
        }
        return Bumped.fromReplies(tags, 0, result.getResponses());
    }

    /**
     * The outcome of a bump sent to Redis, waited for at most {@code budgetNanos}: a timeout cancels
     * it and throws {@link RedisTimeoutException}; a failure is rethrown as the Redis exception it is.
     *
     * @param budget the budget as the message names it
     */
    public static <T> T await(Future<T> future, long budgetNanos, String budget) {
        try {
            return future.get(Math.max(0, budgetNanos), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new RedisTimeoutException("bump not acknowledged within " + budget);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisException("interrupted while waiting for a bump", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new RedisException("bump failed", e.getCause());
        }
    }
}
