package io.loom.cache.internal.backend;

import io.loom.cache.error.LoomException;
import io.loom.cache.gateway.BackendUnavailableException;
import io.loom.cache.serialization.SerializationException;
import org.redisson.client.RedisException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;

/**
 * Internal: the single place that decides how a Redis failure surfaces. Connection, timeout and
 * other Redis errors become {@link BackendUnavailableException}; a stored value of the wrong kind
 * (non-integer for an increment, wrong Redis type) becomes {@link SerializationException}.
 */
public final class RedisFailures {

    /** Marker returned by the library's Lua scripts when a value is not an integer. */
    public static final String NOT_INTEGER = "LOOM_NOT_INTEGER";

    private RedisFailures() {
    }

    /** Runs a synchronous Redis call, translating its failure. */
    public static <T> T call(String backend, Supplier<T> op) {
        try {
            return op.get();
        } catch (RuntimeException e) {
            throw translate(backend, e);
        }
    }

    /** Runs a synchronous Redis call without result, translating its failure. */
    public static void run(String backend, Runnable op) {
        try {
            op.run();
        } catch (RuntimeException e) {
            throw translate(backend, e);
        }
    }

    /**
     * A stage that completes like {@code stage} but with failures translated. Completion is handed
     * off to {@link ForkJoinPool#commonPool()}, so callers' dependent stages never run on (and can
     * never block) Redisson's I/O threads, and may call synchronous cache methods.
     */
    public static <T> CompletionStage<T> async(String backend, Supplier<? extends CompletionStage<T>> stage) {
        CompletableFuture<T> out = new CompletableFuture<>();
        CompletionStage<T> source;
        try {
            source = stage.get();
        } catch (RuntimeException e) {
            out.completeExceptionally(translate(backend, e));
            return out;
        }
        source.whenCompleteAsync((v, e) -> {
            if (e == null) {
                out.complete(v);
            } else {
                out.completeExceptionally(translate(backend, e));
            }
        }, ForkJoinPool.commonPool());
        return out;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** Maps any failure of a Redis call to the library's exception types. */
    public static RuntimeException translate(String backend, Throwable failure) {
        Throwable e = failure;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof LoomException le) {
            return le;
        }
        if (e instanceof RedisException) {
            String msg = String.valueOf(e.getMessage());
            if (msg.contains(NOT_INTEGER) || msg.contains("not an integer") || msg.contains("WRONGTYPE")
                    || hasCause(e, NumberFormatException.class)) {
                return new SerializationException("backend '" + backend + "' holds a value of the wrong kind: "
                        + msg, e);
            }
            if (msg.contains("would overflow")) {
                ArithmeticException overflow = new ArithmeticException("increment at backend '" + backend
                        + "' would overflow: " + msg);
                overflow.initCause(e);
                return overflow;
            }
            return new BackendUnavailableException(backend, msg, e);
        }
        if (e instanceof RuntimeException re) {
            return re;
        }
        return new BackendUnavailableException(backend, String.valueOf(e), e);
    }
}
