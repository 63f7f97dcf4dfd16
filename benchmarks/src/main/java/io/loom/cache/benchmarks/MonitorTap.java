package io.loom.cache.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A MONITOR connection that collects every command the server executes, on a background
 * thread, as {@link MonitoredCommand}s. {@link #awaitLine} polls (bounded) until a marker command
 * has arrived, so the commands sent before it are known to be collected. Close to stop.
 */
final class MonitorTap implements AutoCloseable {

    private static final long AWAIT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long POLL_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final RespConnection connection;
    private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
    private final Thread reader;
    private volatile boolean closed;

    MonitorTap(int port) {
        connection = new RespConnection("127.0.0.1", port);
        connection.send("MONITOR");
        Object ok = connection.read(false);
        if (!"OK".equals(ok)) {
            throw new BenchException("MONITOR answered " + ok);
        }
        reader = new Thread(this::readLines, "monitor-tap-" + port);
        reader.setDaemon(true);
        reader.start();
    }

    private void readLines() {
        try {
            while (!closed) {
                lines.add(String.valueOf(connection.read(false)));
            }
        } catch (BenchException e) {
            if (!closed) {
                lines.add("ERROR " + e.getMessage());
            }
        }
    }

    /** Drops everything collected so far. */
    void clear() {
        lines.clear();
    }

    /**
     * Waits until a collected line contains {@code marker}, then returns the commands collected
     * before it (the marker excluded) and clears them.
     *
     * @throws BenchException if the marker has not arrived within 10 seconds
     */
    List<MonitoredCommand> awaitLine(String marker) {
        long deadline = System.nanoTime() + AWAIT_TIMEOUT_NANOS;
        List<MonitoredCommand> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            String line;
            while ((line = lines.poll()) != null) {
                if (line.contains(marker)) {
                    return seen;
                }
                MonitoredCommand command = MonitoredCommand.parse(line);
                if (command != null) {
                    seen.add(command);
                }
            }
            LockSupport.parkNanos(POLL_INTERVAL_NANOS);
        }
        throw new BenchException("MONITOR did not show the marker " + marker + " within 10 s");
    }

    @Override
    public void close() {
        closed = true;
        connection.close();
    }

    /**
     * One line of MONITOR output.
     *
     * @param client  {@code lua} for commands run inside a script, else the client's {@code host:port}
     * @param name    upper-case command name
     */
    record MonitoredCommand(String client, String name) {

        boolean insideScript() {
            return "lua".equals(client);
        }

        /** Parses {@code 1700000000.123 [0 127.0.0.1:5000] "GET" "k"}; null for other lines. */
        static MonitoredCommand parse(String line) {
            int open = line.indexOf('[');
            int close = line.indexOf(']', open + 1);
            if (open < 0 || close < 0) {
                return null;
            }
            String[] db = line.substring(open + 1, close).split(" ", 2);
            int quote = line.indexOf('"', close);
            int end = quote < 0 ? -1 : line.indexOf('"', quote + 1);
            if (db.length < 2 || end < 0) {
                return null;
            }
            return new MonitoredCommand(db[1], line.substring(quote + 1, end).toUpperCase(java.util.Locale.ROOT));
        }
    }
}
