package io.loom.cache.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} process a test owns: started on a free loopback port, stopped by its own
 * process id. For tests that must stop, restart or reconfigure Redis without touching the shared
 * server on 6379.
 */
public final class RedisServerProcess implements AutoCloseable {

    private final int port;
    private final List<String> extraArgs;
    private final Path dir;
    /** Sentinel configuration lines, or null for a plain server. */
    private final List<String> sentinelConfig;
    private Process process;

    private RedisServerProcess(int port, List<String> extraArgs, List<String> sentinelConfig) throws IOException {
        this.port = port;
        this.extraArgs = List.copyOf(extraArgs);
        this.sentinelConfig = sentinelConfig;
        this.dir = Files.createTempDirectory("loom-redis-" + port);
    }

    /** Starts a server on a free port with {@code extraArgs} (e.g. {@code "--requirepass", "secret"}). */
    public static RedisServerProcess start(String... extraArgs) {
        try {
            for (int attempt = 1; ; attempt++) {
                RedisServerProcess server = new RedisServerProcess(freePort(), List.of(extraArgs), null);
                try {
                    server.launch();
                    return server;
                } catch (PortTaken e) {
                    server.close();
                    if (attempt == 5) {
                        throw e;
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server", e);
        }
    }

    /** Another process took the free port between its choice and this server's bind. */
    private static final class PortTaken extends IllegalStateException {
        PortTaken(int port) {
            super("port " + port + " was taken by another process before redis-server bound it");
        }
    }

    /** Starts a replica of {@code master} on a free port. */
    public static RedisServerProcess replicaOf(RedisServerProcess master) {
        return start("--replicaof", "127.0.0.1", Integer.toString(master.port()));
    }

    /**
     * Starts a Sentinel on a free port monitoring {@code master} as {@code masterName} (quorum 2,
     * down after 1 s).
     */
    public static RedisServerProcess sentinel(String masterName, RedisServerProcess master) {
        try {
            RedisServerProcess server = new RedisServerProcess(freePort(), List.of(), List.of(
                    "sentinel monitor " + masterName + " 127.0.0.1 " + master.port() + " 2",
                    "sentinel down-after-milliseconds " + masterName + " 1000",
                    "sentinel failover-timeout " + masterName + " 10000",
                    "sentinel parallel-syncs " + masterName + " 1"));
            server.launch();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-sentinel", e);
        }
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>}. */
    public String address() {
        return "redis://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the server (SIGKILL: no shutdown save, like a crash) and waits until it is gone. */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Freezes the server (SIGSTOP to its own pid): connections stay open, nothing is answered. */
    public void pause() {
        signal("STOP");
    }

    /** Lets a {@link #pause() paused} server run again (SIGCONT). */
    public void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + pid() + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot signal redis-server " + pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted signalling redis-server " + pid(), e);
        }
    }

    /** The {@code calls=} count of one command in {@code INFO commandstats} (0 when never called). */
    public long commandCalls(String command) {
        String stats = command("INFO", "commandstats");
        String marker = "cmdstat_" + command.toLowerCase(java.util.Locale.ROOT) + ":calls=";
        int at = stats.indexOf(marker);
        if (at < 0) {
            return 0;
        }
        int from = at + marker.length();
        int to = stats.indexOf(',', from);
        return Long.parseLong(stats.substring(from, to));
    }

    /** Starts the server again on the same port, empty (nothing is persisted). */
    public void restart() {
        stop();
        try {
            launch();
        } catch (IOException e) {
            throw new IllegalStateException("cannot restart redis-server on port " + port, e);
        }
    }

    /** Sends one command (inline protocol) and returns the raw reply text. */
    public String command(String... words) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            StringBuilder request = new StringBuilder("*").append(words.length).append("\r\n");
            for (String word : words) {
                byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
                request.append('$').append(bytes.length).append("\r\n").append(word).append("\r\n");
            }
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return readReply(socket.getInputStream());
        } catch (IOException e) {
            throw new IllegalStateException("redis-server on port " + port + " did not answer", e);
        }
    }

    @Override
    public void close() {
        stop();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // temporary directory; the OS reclaims it
        }
    }

    private void launch() throws IOException {
        List<String> command = new ArrayList<>(List.of("redis-server"));
        if (sentinelConfig != null) {
            Path config = dir.resolve("sentinel.conf");
            if (!Files.exists(config)) { // a restarted sentinel keeps what it learnt
                Files.write(config, sentinelConfig);
            }
            command.addAll(List.of(config.toString(), "--sentinel"));
        }
        command.addAll(List.of("--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--daemonize", "no", "--dir", dir.toString()));
        if (sentinelConfig == null) {
            command.addAll(List.of("--save", "", "--appendonly", "no"));
        }
        command.addAll(extraArgs);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
            }
            boolean listening;
            try (Socket socket = new Socket("127.0.0.1", port)) {
                listening = true;
            } catch (IOException notYet) {
                listening = false;
                Thread.onSpinWait();
            }
            if (listening) {
                if (answersAsThisProcess()) {
                    return;
                }
                throw new PortTaken(port);
            }
        }
        throw new IllegalStateException("redis-server did not listen on port " + port + " within 10 s");
    }

    /**
     * Whether the server answering on the port is the process just started (a port chosen free
     * can be taken by another process before redis-server binds it; then this one exits).
     */
    private boolean answersAsThisProcess() {
        String info;
        try {
            info = command("INFO", "server");
        } catch (IllegalStateException e) {
            return false;
        }
        int at = info.indexOf("process_id:");
        if (at < 0) {
            return process.isAlive(); // e.g. NOAUTH: it cannot say, so it must still be running
        }
        int end = info.indexOf('\r', at);
        return info.substring(at + "process_id:".length(), end < 0 ? info.length() : end).trim()
                .equals(Long.toString(process.pid()));
    }

    private static String readReply(InputStream in) throws IOException {
        StringBuilder reply = new StringBuilder();
        byte[] buffer = new byte[8192];
        int read = in.read(buffer);
        while (read > 0) {
            reply.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
            if (in.available() == 0 && complete(reply)) {
                break;
            }
            read = in.read(buffer);
        }
        return reply.toString();
    }

    private static boolean complete(StringBuilder reply) {
        if (reply.length() == 0 || reply.charAt(reply.length() - 1) != '\n') {
            return false;
        }
        if (reply.charAt(0) != '$') {
            return true;
        }
        int header = reply.indexOf("\r\n");
        int length = Integer.parseInt(reply.substring(1, header));
        return length < 0 || reply.length() >= header + 2 + length + 2;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
