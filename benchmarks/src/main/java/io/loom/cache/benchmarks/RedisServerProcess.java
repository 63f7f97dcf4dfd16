package io.loom.cache.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A private {@code redis-server} on a free loopback port, without persistence, so that probes can
 * count every command it receives without other clients' traffic. Stopped (its own process only)
 * by {@link #close()}.
 */
final class RedisServerProcess implements AutoCloseable {

    private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long POLL_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Process process;
    private final int port;

    private RedisServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts {@code redis-server} (from the PATH, or {@code -Dloom.bench.redisServer}) and waits
     * until it answers PING.
     *
     * @throws BenchException if it cannot be started or does not answer within 10 seconds
     */
    static RedisServerProcess start() {
        int port = freePort();
        String binary = System.getProperty("loom.bench.redisServer", "redis-server");
        Process process;
        try {
            process = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--protected-mode", "yes")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new BenchException("cannot start " + binary + " on port " + port, e);
        }
        RedisServerProcess server = new RedisServerProcess(process, port);
        server.awaitPing();
        return server;
    }

    int port() {
        return port;
    }

    String address() {
        return "redis://127.0.0.1:" + port;
    }

    private void awaitPing() {
        long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
        BenchException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new BenchException("redis-server on port " + port + " exited with " + process.exitValue());
            }
            try (RespConnection connection = new RespConnection("127.0.0.1", port)) {
                if ("PONG".equals(connection.call("PING"))) {
                    return;
                }
            } catch (BenchException e) {
                last = e;
            }
            LockSupport.parkNanos(POLL_INTERVAL_NANOS);
        }
        close();
        throw new BenchException("redis-server on port " + port + " did not answer PING within 10 s", last);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new BenchException("cannot find a free port", e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
