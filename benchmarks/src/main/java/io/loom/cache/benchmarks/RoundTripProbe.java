package io.loom.cache.benchmarks;

import io.loom.cache.testing.RedisServerProcess;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntConsumer;

/**
 * Counts the Redis work behind one operation of each implementation: entity hit, 20-row list hit,
 * one committed update, a list read right after an update, and an entity miss. Runs against a private {@code redis-server} it starts on a free port
 * (so no other client's traffic is counted; PostgreSQL is the shared one), and measures each
 * operation {@value #OPERATIONS} times after a warm-up:
 * <ul>
 *   <li>round trips = commands clients sent (MONITOR lines not marked {@code lua});</li>
 *   <li>executed = every command the server ran, including those inside Lua scripts
 *       ({@code INFO commandstats} deltas).</li>
 * </ul>
 * Also prints the stored size of one Hibernate second-level-cache entry and of one Loom entry.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.loom.cache.benchmarks.RoundTripProbe [IMPLEMENTATION...]
 * </pre>
 * Without arguments probes {@code RAW_REDIS_GET}, {@code LOOM_REDIS}, {@code LOOM_REDIS_PUSHED}
 * (its heartbeats slowed to one per {@value #PUSHED_MAX_LAG_MS} / 4 ms so none lands in a measured
 * operation) and {@code HIBERNATE_2LC}
 * ({@code LOOM_MEMORY} sends nothing to Redis). Prints a Markdown table.
 */
public final class RoundTripProbe {

    /** max-lag of the pushed near cache while probing: ten minutes. */
    static final long PUSHED_MAX_LAG_MS = 600_000;
    static final int OPERATIONS = 50;
    private static final int WARM_OPERATIONS = 20;
    private static final Set<String> CONTROL_COMMANDS = Set.of("INFO", "ECHO", "PING", "MONITOR", "CLIENT", "HELLO");

    private final RedisServerProcess server;
    private final RespConnection control;
    private final MonitorTap tap;
    private final List<String> rows = new ArrayList<>();
    private long markers;

    private RoundTripProbe(RedisServerProcess server, RespConnection control, MonitorTap tap) {
        this.server = server;
        this.control = control;
        this.tap = tap;
    }

    public static void main(String[] args) {
        System.setProperty(LoomReaders.NEAR_MAX_LAG_PROPERTY, Long.toString(PUSHED_MAX_LAG_MS));
        Set<Implementation> implementations = EnumSet.noneOf(Implementation.class);
        for (String arg : args) {
            implementations.add(Implementation.valueOf(arg));
        }
        if (implementations.isEmpty()) {
            implementations = EnumSet.of(Implementation.RAW_REDIS_GET, Implementation.LOOM_REDIS,
                    Implementation.LOOM_REDIS_PUSHED, Implementation.HIBERNATE_2LC);
        }
        try (RedisServerProcess server = RedisServerProcess.start();
             RespConnection control = new RespConnection("127.0.0.1", server.port());
             MonitorTap tap = new MonitorTap(server.port())) {
            RoundTripProbe probe = new RoundTripProbe(server, control, tap);
            BenchSettings settings = BenchSettings.fromSystemProperties().withRedisAddress(server.address());
            BenchDatabase.ensureSeeded(settings);
            for (Implementation implementation : implementations) {
                probe.probe(implementation, settings);
            }
            System.out.println();
            System.out.println("| implementation | operation | round trips/op | commands executed/op (incl. Lua) | commands sent |");
            System.out.println("|---|---|---|---|---|");
            probe.rows.forEach(System.out::println);
        }
        System.exit(0);
    }

    private void probe(Implementation implementation, BenchSettings settings) {
        try (EntityReader reader = implementation.create(settings, 1)) {
            reader.warm(implementation == Implementation.RAW_REDIS_GET ? Warming.ALL : Warming.PAGES);
            IntConsumer find = i -> reader.find(1 + i % 1_000);
            IntConsumer list = i -> reader.list(BookFixture.categoryName(i % BenchSettings.CATEGORIES), BenchSettings.LIST_LIMIT);
            IntConsumer update = i -> reader.update(5_000 + i);
            run(find, OPERATIONS); // caches exactly the rows the hits read
            measure(implementation, "entity hit", find);
            run(list, WARM_OPERATIONS);
            measure(implementation, "20-row list hit", list);
            if (implementation != Implementation.RAW_REDIS_GET) {
                run(i -> reader.update(9_000 + i), WARM_OPERATIONS);
                measure(implementation, "committed update", update);
                measure(implementation, "20-row list after an update (miss)", update, list);
                measure(implementation, "entity miss (evicted)", i -> evict(reader, 2_000 + i), i -> reader.find(2_000 + i));
            }
            if (implementation == Implementation.HIBERNATE_2LC) {
                printStoredSizes(settings);
            }
            if (implementation == Implementation.LOOM_REDIS) {
                printLoomEntrySizes(settings);
            }
        }
    }

    /**
     * Makes one row's cached entry miss: evicted from Hibernate's second-level cache, or its row
     * tag moved through Loom's explicit invalidation (other implementations: nothing to drop).
     */
    private static void evict(EntityReader reader, long id) {
        if (reader instanceof HibernateReader hibernate) {
            hibernate.sessionFactory().getCache().evictEntityData(BenchBook.class, id);
        } else if (reader instanceof LoomReader loom) {
            loom.cache().invalidate(BenchBook.class, id);
        }
    }

    private static void run(IntConsumer operation, int times) {
        for (int i = 0; i < times; i++) {
            operation.accept(i);
        }
    }

    private void measure(Implementation implementation, String operation, IntConsumer action) {
        measure(implementation, operation, i -> { }, action);
    }

    /**
     * Runs {@code prepare} then {@code action} {@value #OPERATIONS} times, counting only what
     * {@code action} sends and executes.
     */
    private void measure(Implementation implementation, String operation, IntConsumer prepare, IntConsumer action) {
        Map<String, Long> sent = new TreeMap<>();
        Map<String, Long> executed = new TreeMap<>();
        for (int i = 0; i < OPERATIONS; i++) {
            prepare.accept(i);
            drain();
            Map<String, Long> before = commandStats();
            action.accept(i);
            for (MonitorTap.MonitoredCommand command : drain()) {
                if (!command.insideScript() && !CONTROL_COMMANDS.contains(command.name())) {
                    sent.merge(command.name(), 1L, Long::sum);
                }
            }
            minus(commandStats(), before).forEach((name, calls) -> executed.merge(name, calls, Long::sum));
        }
        long roundTrips = sent.values().stream().mapToLong(Long::longValue).sum();
        long executedTotal = executed.values().stream().mapToLong(Long::longValue).sum();
        rows.add(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %s |", implementation, operation,
                (double) roundTrips / OPERATIONS, (double) executedTotal / OPERATIONS, perOperation(sent)));
        System.out.printf(Locale.ROOT, "%s %s: executed %s%n", implementation, operation, perOperation(executed));
    }

    /** Waits for everything sent so far to show up in MONITOR and returns it. */
    private List<MonitorTap.MonitoredCommand> drain() {
        String marker = "loom-bench-marker-" + (++markers);
        control.call("ECHO", marker);
        return tap.awaitLine(marker);
    }

    private Map<String, Long> commandStats() {
        Map<String, Long> calls = new TreeMap<>();
        for (String line : String.valueOf(control.call("INFO", "commandstats")).split("\r?\n")) {
            if (line.startsWith("cmdstat_")) {
                String name = line.substring("cmdstat_".length(), line.indexOf(':')).toUpperCase(Locale.ROOT);
                int start = line.indexOf("calls=") + "calls=".length();
                int end = line.indexOf(',', start);
                if (!CONTROL_COMMANDS.contains(name.split("\\|")[0])) {
                    calls.put(name, Long.parseLong(line.substring(start, end)));
                }
            }
        }
        return calls;
    }

    private static Map<String, Long> minus(Map<String, Long> after, Map<String, Long> before) {
        Map<String, Long> delta = new TreeMap<>();
        after.forEach((name, calls) -> {
            long d = calls - before.getOrDefault(name, 0L);
            if (d != 0) {
                delta.put(name, d);
            }
        });
        return delta;
    }

    private static String perOperation(Map<String, Long> counts) {
        StringBuilder text = new StringBuilder();
        counts.forEach((name, count) -> text.append(text.length() == 0 ? "" : ", ")
                .append(String.format(Locale.ROOT, "%s x%.2f", name, (double) count / OPERATIONS)));
        return text.length() == 0 ? "none" : text.toString();
    }

    /** Average stored size of Loom's entries (stamp header + msgpack payload), by kind. */
    private void printLoomEntrySizes(BenchSettings settings) {
        String namespace = settings.keyPrefix() + LoomReaders.NAMESPACE_SECTION + ":";
        Object scan = control.call("SCAN", "0", "MATCH", namespace + "*", "COUNT", "100000", "TYPE", "string");
        @SuppressWarnings("unchecked")
        List<Object> keys = (List<Object>) ((List<Object>) scan).get(1);
        Map<String, long[]> byKind = new TreeMap<>();
        for (Object key : keys) {
            String name = key.toString();
            String[] parts = name.substring(namespace.length()).split(":");
            if (parts.length < 3 || !(parts[1].equals("id") || parts[1].equals("query"))) {
                continue; // generation counters and epochs
            }
            Object length = control.call("STRLEN", name);
            long[] sum = byKind.computeIfAbsent(parts[1], k -> new long[2]);
            sum[0]++;
            sum[1] += Long.parseLong(length.toString());
        }
        byKind.forEach((kind, sum) -> System.out.printf(Locale.ROOT,
                "stored Loom %s entry (string, LM1 + stamp header + msgpack payload): %d sampled, %.0f bytes%n",
                kind.equals("id") ? "row" : "20-row page", sum[0], (double) sum[1] / sum[0]));
    }

    /** Average stored field and value sizes of the second-level-cache regions (Redis hashes). */
    private void printStoredSizes(BenchSettings settings) {
        Object scan = control.call("SCAN", "0", "MATCH", settings.keyPrefix() + HibernateReader.REGION_SECTION + ".*",
                "COUNT", "1000", "TYPE", "hash");
        @SuppressWarnings("unchecked")
        List<Object> keys = (List<Object>) ((List<Object>) scan).get(1);
        for (Object key : keys) {
            @SuppressWarnings("unchecked")
            List<Object> page = (List<Object>) control.callForBytes("HSCAN", key.toString(), "0", "COUNT", "50");
            @SuppressWarnings("unchecked")
            List<Object> entries = (List<Object>) page.get(1);
            long fieldBytes = 0;
            long valueBytes = 0;
            int count = entries.size() / 2;
            for (int i = 0; i + 1 < entries.size(); i += 2) {
                fieldBytes += ((byte[]) entries.get(i)).length;
                valueBytes += ((byte[]) entries.get(i + 1)).length;
            }
            if (count > 0) {
                System.out.printf(Locale.ROOT, "stored in %s (hash): %d sampled entries, field %.0f bytes, value %.0f bytes%n",
                        key, count, (double) fieldBytes / count, (double) valueBytes / count);
            }
        }
    }
}
