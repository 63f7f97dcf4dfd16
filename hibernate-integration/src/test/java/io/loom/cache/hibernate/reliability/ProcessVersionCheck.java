package io.loom.cache.hibernate.reliability;

import io.loom.cache.hibernate.e2e.LoomTestUnit;
import io.loom.cache.hibernate.model.Book;
import io.loom.cache.testing.Await;
import io.loom.cache.testing.RedisServerProcess;
import org.h2.tools.Server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The version check with every node in its own JVM: {@link VersionCheckNode} processes (started
 * with this JVM's classpath) on one H2 database served over TCP and one Redis, each writer node
 * writing its own share of the books and reading all of them, reader nodes only reading, with the committed versions shared
 * through {@link SharedFloors}. The caller drives faults on the Redis while they run.
 */
final class ProcessVersionCheck implements AutoCloseable {

    static final int BOOKS = 8;
    private static final Pattern RESULT = Pattern.compile(
            "RESULT writes=(\\d+) reads=(\\d+) stale=(\\d+) failed=(\\d+) hit=(true|false)");

    /** What one node process reported; {@code writer} false for a node that only reads. */
    record Result(long writes, long reads, long stale, long failed, boolean hit, boolean writer) {
    }

    private final Path dir;
    private final Server database;
    private final LoomTestUnit seeder;
    private final SharedFloors floors;
    private final List<Process> nodes = new ArrayList<>();
    private final List<List<String>> commands = new ArrayList<>();
    private final List<Integer> incarnations = new ArrayList<>();
    private final int writers;

    /**
     * Starts the database, seeds it, and starts two node processes on {@code redis}.
     *
     * @param operationsPerNode reads and writes each node runs before it stops by itself
     */
    ProcessVersionCheck(RedisServerProcess redis, long operationsPerNode) throws IOException, SQLException {
        this(redis, operationsPerNode, "validated");
    }

    /** The same with the nodes' {@code near-cache.mode} set to {@code nearCacheMode}. */
    ProcessVersionCheck(RedisServerProcess redis, long operationsPerNode, String nearCacheMode)
            throws IOException, SQLException {
        this(redis, operationsPerNode, nearCacheMode, 2, 0);
    }

    /**
     * {@code writers} nodes that each write their share of the books and read all of them, and
     * {@code readers} more nodes that only read.
     */
    ProcessVersionCheck(RedisServerProcess redis, long operationsPerNode, String nearCacheMode, int writers,
                        int readers) throws IOException, SQLException {
        this.writers = writers;
        dir = Files.createTempDirectory("loom-version-check");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        database = Server.createTcpServer("-tcpPort", Integer.toString(port), "-ifNotExists").start();
        String url = "jdbc:h2:tcp://127.0.0.1:" + port + "/mem:check_" + UUID.randomUUID().toString().replace("-", "")
                + ";DB_CLOSE_DELAY=-1";
        seeder = LoomTestUnit.h2(Map.of("jakarta.persistence.jdbc.url", url, "loom.cache.enabled", "false"));
        List<Long> ids = seeder.ids.books().subList(0, BOOKS);
        seeder.emf().runInTransaction(em -> ids.forEach(id -> em.find(Book.class, id).setTitle("v0")));
        floors = SharedFloors.open(dir.resolve("floors"), BOOKS);
        StringJoiner idList = new StringJoiner(",");
        ids.forEach(id -> idList.add(id.toString()));
        for (int node = 0; node < writers + readers; node++) {
            StringJoiner owned = new StringJoiner(",");
            for (int book = node; node < writers && book < BOOKS; book += writers) {
                owned.add(Integer.toString(book));
            }
            commands.add(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                    VersionCheckNode.class.getName(), url, redis.address(), dir.resolve("floors").toString(),
                    idList.toString(), node < writers ? owned.toString() : "-", "2", Long.toString(operationsPerNode),
                    nearCacheMode));
            incarnations.add(0);
            nodes.add(start(node));
        }
    }

    private Process start(int node) throws IOException {
        return new ProcessBuilder(commands.get(node)).redirectErrorStream(true).redirectOutput(log(node).toFile())
                .start();
    }

    private Path log(int node) {
        return dir.resolve("node-" + node + "-" + incarnations.get(node) + ".log");
    }

    /**
     * Kills node {@code node}'s process (SIGKILL: no shutdown, its lease left in Redis) and starts
     * it again, empty. Only for a node that only reads: a writer killed inside {@code commit()}
     * would leave a committed change unbumped, which only the outbox covers.
     */
    void killAndRestart(int node) throws IOException, InterruptedException {
        if (node < writers) {
            throw new IllegalArgumentException("node " + node + " writes; kill a reading node");
        }
        Process process = nodes.get(node);
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("node " + node + " did not die");
        }
        incarnations.set(node, incarnations.get(node) + 1);
        nodes.set(node, start(node));
        Await.until(() -> ready(node) || !running(), Duration.ofSeconds(120), "node " + node + " restarted");
    }

    /** Whether node {@code node}'s current process runs its readers and writers. */
    private boolean ready(int node) {
        try {
            return Files.readString(log(node)).contains("READY");
        } catch (IOException e) {
            return false;
        }
    }

    /** Sum of the committed versions of the books node {@code node} writes. */
    private long committedWrites(int node) {
        long sum = 0;
        for (int book = node; book < BOOKS; book += writers) {
            sum += floors.committed(book);
        }
        return sum;
    }

    /**
     * Waits until every node returned {@code writes} more writes; fails when a node exits first or
     * 120 s pass (JVM and Hibernate start-up on a busy machine).
     */
    void awaitWrites(long writes, String what) {
        long[] targets = new long[writers];
        for (int node = 0; node < writers; node++) {
            targets[node] = committedWrites(node) + writes;
        }
        Await.until(() -> {
            for (int node = 0; node < writers; node++) {
                if (committedWrites(node) < targets[node]) {
                    return !running();
                }
            }
            return true;
        }, Duration.ofSeconds(120), what);
    }

    /** Stops node {@code node}'s process (SIGSTOP) for {@code millis}, then lets it run again (SIGCONT). */
    void freezeNode(int node, long millis) throws IOException, InterruptedException {
        long pid = nodes.get(node).pid();
        signal("STOP", pid);
        try {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (System.nanoTime() < until) {
                TimeUnit.NANOSECONDS.sleep(until - System.nanoTime());
            }
        } finally {
            signal("CONT", pid);
        }
    }

    private static void signal(String name, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " " + pid + " failed");
        }
    }

    /** Reads and writes every node process ran so far (killed ones included), counted in batches. */
    long operations() {
        return floors.operations();
    }

    boolean running() {
        return nodes.stream().allMatch(Process::isAlive);
    }

    /** Tells the nodes to stop, waits for them and returns their reports. */
    List<Result> finish() throws InterruptedException, IOException {
        floors.stop();
        List<Result> results = new ArrayList<>();
        for (int node = 0; node < nodes.size(); node++) {
            Process process = nodes.get(node);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                throw new AssertionError("node " + node + " did not finish");
            }
            String log = Files.readString(log(node));
            String name = "node " + node + " ";
            log.lines().filter(line -> line.startsWith("COMMITS") || line.startsWith("STALE")).limit(40)
                    .forEach(line -> System.out.println(name + line));
            Matcher m = RESULT.matcher(log);
            if (!m.find()) {
                throw new AssertionError("node " + node + " reported nothing (exit " + process.exitValue() + "):\n"
                        + log.substring(Math.max(0, log.length() - 4000)));
            }
            results.add(new Result(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                    Long.parseLong(m.group(4)), Boolean.parseBoolean(m.group(5)), node < writers));
        }
        return results;
    }

    @Override
    public void close() {
        nodes.forEach(Process::destroyForcibly);
        seeder.close();
        database.stop();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
