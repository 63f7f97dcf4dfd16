package io.loom.cache.benchmarks;

import io.loom.cache.LoomCache;
import io.loom.cache.config.CacheConfigLoader;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Another application node on the benchmark's namespace, in a process of its own: a
 * {@link LoomCache} built from the Loom properties given as {@code key=value} arguments. With the
 * leased near cache it holds a lease and acknowledges every bump, as a real node does; it reads
 * nothing. It prints {@code READY} once running and stops when its standard input closes.
 */
public final class PeerNode {

    private PeerNode() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            properties.put(arg.substring(0, equals), arg.substring(equals + 1));
        }
        try (LoomCache cache = LoomCache.create(CacheConfigLoader.fromProperties(properties))) {
            System.out.println("READY " + cache.config().nearCache().mode());
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until the benchmark closes the pipe
            }
        }
    }

    /** Starts a peer process with {@code properties} and waits until it runs. */
    static Process start(Map<String, Object> properties) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                PeerNode.class.getName()));
        properties.forEach((key, value) -> command.add(key + "=" + value));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("READY")) {
            // start-up output
        }
        if (line == null) {
            throw new BenchException("peer node exited before it ran (exit " + waitFor(process) + ")");
        }
        Thread drain = new Thread(() -> out.lines().forEach(ignored -> { }), "peer-output");
        drain.setDaemon(true);
        drain.start();
        return process;
    }

    /** Closes the peer's input (it closes its cache and exits) and waits for it. */
    static void stop(Process process) {
        try (OutputStream in = process.getOutputStream()) {
            in.flush();
        } catch (IOException ignored) {
            // already gone
        }
        waitFor(process);
    }

    private static int waitFor(Process process) {
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new BenchException("peer node did not stop within 30 s");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted while waiting for a peer node", e);
        }
    }
}
