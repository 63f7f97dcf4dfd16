package io.loom.cache.hibernate.e2e;

import io.loom.cache.hibernate.model.Book;
import io.loom.cache.hibernate.model.Publisher;
import io.loom.cache.repository.QuerySpec;
import io.loom.cache.testing.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Counts the Redis commands behind cache operations on a redis-server this test owns, so no other
 * traffic is counted. Two independent counts: {@code MONITOR} lists every command a client sent
 * (commands a Lua script runs inside the server are marked {@code lua} and left out: they cost no
 * round trip), and {@code INFO commandstats} deltas count the script calls ({@code evalsha},
 * {@code evalsha_ro}). The client sends these calls one at a time, so one command is one round trip.
 * A hit whose entry tags the client knows is one MGET (no script); other hits are one script call.
 */
class RedisRoundTripTest {

    /** Commands that are not cache traffic: this test's own INFO and marker, and the client's keep-alive. */
    private static final Set<String> IGNORED = Set.of("info", "ping", "echo");

    private static RedisServerProcess server;
    private static LoomTestUnit unit;
    /** Near cache validated by pushed invalidations; heartbeats every 2.5 min, so none lands in a measured action. */
    private static LoomTestUnit pushed;

    @BeforeAll
    static void start() {
        server = RedisServerProcess.start();
        unit = LoomTestUnit.h2OnRedis("rt", Map.of("loom.cache.backends.default.address", server.address()), true);
        pushed = LoomTestUnit.h2OnRedis("rt-pushed", Map.of("loom.cache.backends.default.address", server.address(),
                "loom.cache.near-cache.mode", "pushed", "loom.cache.near-cache.max-lag", "10m"), true);
    }

    @AfterAll
    static void stop() {
        try {
            if (unit != null) {
                unit.close();
            }
            if (pushed != null) {
                pushed.close();
            }
        } finally {
            server.close();
        }
    }

    /** What one action sent to Redis. */
    private record Traffic(List<String> clientCommands, Map<String, Long> commandStats) {

        long scriptCalls() {
            return commandStats.entrySet().stream().filter(e -> e.getKey().startsWith("eval"))
                    .mapToLong(Map.Entry::getValue).sum();
        }
    }

    private static Traffic trafficOf(Runnable action) {
        try (Socket monitor = new Socket("127.0.0.1", server.port())) {
            monitor.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(monitor.getInputStream(),
                    StandardCharsets.UTF_8));
            monitor.getOutputStream().write("MONITOR\r\n".getBytes(StandardCharsets.UTF_8));
            monitor.getOutputStream().flush();
            assertEquals("+OK", in.readLine());
            Map<String, Long> before = commandCalls();
            action.run();
            Map<String, Long> after = commandCalls();
            String marker = "end-of-action-" + System.nanoTime();
            server.command("ECHO", marker);
            List<String> commands = new ArrayList<>();
            for (String line = in.readLine(); line != null && !line.contains(marker); line = in.readLine()) {
                // +<time> [<db> <client address>|lua] "<command>" "<arg>" ...
                int close = line.indexOf("] \"");
                if (close < 0 || line.substring(0, close).endsWith(" lua")) {
                    continue;
                }
                String name = line.substring(close + 3, line.indexOf('"', close + 3)).toLowerCase(Locale.ROOT);
                if (!IGNORED.contains(name)) {
                    commands.add(name);
                }
            }
            Map<String, Long> delta = new TreeMap<>();
            after.forEach((name, calls) -> {
                long moved = calls - before.getOrDefault(name, 0L);
                if (moved != 0 && !IGNORED.contains(name)) {
                    delta.put(name, moved);
                }
            });
            return new Traffic(commands, delta);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Calls per command name from {@code INFO commandstats}, e.g. {@code evalsha -> 12}. */
    private static Map<String, Long> commandCalls() {
        Map<String, Long> calls = new TreeMap<>();
        for (String line : server.command("INFO", "commandstats").split("\r\n")) {
            if (line.startsWith("cmdstat_")) {
                String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                int at = line.indexOf("calls=") + "calls=".length();
                calls.put(name, Long.parseLong(line.substring(at, line.indexOf(',', at))));
            }
        }
        return calls;
    }

    @Test
    void getById_hit_isOneRedisCommand() {
        long id = unit.bookId(0);
        unit.books.getById(id);
        unit.books.getById(id); // scripts loaded, entry stored
        Traffic hit = trafficOf(() -> unit.books.getById(id));
        // The near cache kept the decoded value: one MGET of its stamp's counters, no entry, no script.
        assertEquals(List.of("mget"), hit.clientCommands(), hit.toString());
        assertEquals(0, hit.scriptCalls(), hit.toString());
    }

    @Test
    void listWithQuery_hit_isOneRedisCommand() {
        QuerySpec spec = QuerySpec.where("genre").eq("crime").orderBy("title").page(1, 10);
        unit.books.listWithQuery(spec);
        unit.books.listWithQuery(spec);
        Traffic hit = trafficOf(() -> unit.books.listWithQuery(spec));
        // The near cache kept the page: one MGET of its stamp's counters, no script.
        assertEquals(List.of("mget"), hit.clientCommands(), hit.toString());
        assertEquals(0, hit.scriptCalls(), hit.toString());
    }

    @Test
    void getById_missAfterInvalidation_checksTheKeptValueThenReadsThenStores() {
        long id = unit.bookId(1);
        unit.books.getById(id);
        unit.books.getById(id); // waits for the first read's store: the value is kept before the commit
        unit.emf().runInTransaction(em -> em.find(Book.class, id).setTitle("Round trips"));
        Traffic miss = trafficOf(() -> {
            unit.books.getById(id);
            unit.stats("book"); // statistics wait for the store the miss left in flight
        });
        // The kept value's counters moved (MGET); the Redis entry may have been refreshed by another
        // node, so it is read (MGET) before loading; the load is stored (script).
        assertEquals(List.of("mget", "mget", "evalsha"), miss.clientCommands(), miss.toString());
        assertEquals(1, miss.scriptCalls(), miss.toString());
    }

    @Test
    void pushed_hit_sendsNothingToRedis() {
        long id = pushed.bookId(0);
        pushed.books.getById(id);
        pushed.books.getById(id);
        QuerySpec spec = QuerySpec.where("genre").eq("crime").orderBy("title").page(1, 10);
        pushed.books.listWithQuery(spec);
        pushed.books.listWithQuery(spec); // waits for the first read's store, answered after it returned
        Traffic hits = trafficOf(() -> {
            pushed.books.getById(id);
            pushed.books.listWithQuery(spec);
        });
        assertEquals(List.of(), hits.clientCommands(), hits.toString());
        assertTrue(pushed.stats("book").nearHits() >= 2, pushed.stats("book").toString());
    }

    @Test
    void pushed_missAfterOwnCommit_isOneStoreWithoutARead() {
        long id = pushed.bookId(1);
        pushed.books.getById(id);
        pushed.books.getById(id); // waits for the first read's store: the value is kept before the commit
        pushed.emf().runInTransaction(em -> em.find(Book.class, id).setTitle("Pushed round trips"));
        Traffic miss = trafficOf(() -> {
            pushed.books.getById(id);
            pushed.stats("book"); // statistics wait for the store the miss left in flight
        });
        // The commit dropped the kept value on this node at once, and its bump's clock stands in for
        // the read before the load (CONSISTENCY 1a): no check, no read, one store.
        assertEquals(List.of("evalsha"), miss.clientCommands(), miss.toString());
        assertEquals("Pushed round trips", pushed.books.getById(id).orElseThrow().title());
    }

    @Test
    void transactionUpdatingAndInsertingRowsOfTwoEntities_bumpsInOneRedisCommand() {
        long first = unit.bookId(2);
        long second = unit.bookId(3);
        unit.emf().runInTransaction(em -> em.find(Book.class, first).setTitle("warm the connection"));
        Traffic commit = trafficOf(() -> unit.emf().runInTransaction(em -> {
            em.find(Book.class, first).setTitle("One bump, first");
            em.find(Book.class, second).setTitle("One bump, second");
            em.flush();
            em.persist(new Publisher("One bump, new publisher", "FR"));
        }));
        // The bump travels as EVAL with its source, so a server that forgot its scripts runs it too.
        assertEquals(List.of("eval"), commit.clientCommands(), commit.toString());
        assertEquals(1, commit.scriptCalls(), commit.toString());
    }
}
