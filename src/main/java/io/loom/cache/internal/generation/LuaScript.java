package io.loom.cache.internal.generation;

import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisException;
import org.redisson.client.codec.ByteArrayCodec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * One Lua script shipped with the library, run by its SHA1 and loaded again when the server has
 * forgotten it (restart, SCRIPT FLUSH). Arguments and bulk replies are raw bytes.
 */
final class LuaScript {

    private final String name;
    private final String source;
    private volatile String sha;

    private LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
    }

    static LuaScript load(String resource) {
        try (InputStream in = LuaScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + resource);
            }
            return new LuaScript(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read script " + resource, e);
        }
    }

    <R> R run(RedissonClient client, RScript.Mode mode, RScript.ReturnType type, List<Object> keys, Object[] args) {
        RScript script = client.getScript(ByteArrayCodec.INSTANCE);
        String current = sha;
        if (current == null) {
            current = sha = script.scriptLoad(source);
        }
        try {
            return script.evalSha(mode, current, type, keys, args);
        } catch (RedisException e) {
            if (!forgotten(e)) {
                throw e;
            }
            sha = script.scriptLoad(source);
            return script.evalSha(mode, sha, type, keys, args);
        }
    }

    /**
     * {@link #run} without blocking: the stage completes on the client's threads, after one more
     * load and call when the server had forgotten the script.
     */
    <R> CompletionStage<R> runAsync(RedissonClient client, RScript.Mode mode, RScript.ReturnType type,
                                    List<Object> keys, Object[] args) {
        RScript script = client.getScript(ByteArrayCodec.INSTANCE);
        String current = sha;
        CompletionStage<String> loaded = current != null ? CompletableFuture.completedFuture(current)
                : script.scriptLoadAsync(source).thenApply(loadedSha -> sha = loadedSha);
        return loaded.thenCompose(known -> script.<R>evalShaAsync(mode, known, type, keys, args)
                .exceptionallyCompose(failure -> {
                    if (!forgotten(failure)) {
                        return CompletableFuture.failedFuture(failure);
                    }
                    return script.scriptLoadAsync(source).thenCompose(reloaded -> {
                        sha = reloaded;
                        return script.<R>evalShaAsync(mode, reloaded, type, keys, args);
                    });
                }));
    }

    private static boolean forgotten(Throwable failure) {
        Throwable cause = cause(failure);
        return cause instanceof RedisException && cause.getMessage() != null && cause.getMessage().contains("NOSCRIPT");
    }

    /** The failure an asynchronous call completed with, without its CompletionException wrapper. */
    static Throwable cause(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** The script's text. */
    String source() {
        return source;
    }

    @Override
    public String toString() {
        return "LuaScript[" + name + "]";
    }

    /** A script argument or key as the UTF-8 bytes the scripts compare. */
    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A script's text reply (bytes or a number), "" for nil. */
    static String text(Object reply) {
        if (reply == null) {
            return "";
        }
        return reply instanceof byte[] raw ? new String(raw, StandardCharsets.UTF_8) : reply.toString();
    }
}
