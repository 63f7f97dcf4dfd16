package io.loom.cache.benchmarks;

import io.loom.cache.testing.RedisServerProcess;

import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * How Loom spreads over a three-master Redis Cluster it starts itself ({@link ClusterRows}): the
 * share of keys ({@code DBSIZE}) and of the commands each master executes for Loom
 * ({@code INFO commandstats}: GET, SET, EVAL and the like, those run inside scripts included;
 * housekeeping excluded), for Zipf reads by id and for the 95/5 mix; and, sampled one operation at
 * a time with MONITOR, the commands one hit and one commit send and the masters they touch.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.loom.cache.benchmarks.ClusterSpreadProbe [namespace]
 * </pre>
 */
public final class ClusterSpreadProbe {

    private static final int OPERATIONS = 20_000;
    private static final int SAMPLES = 200;

    private ClusterSpreadProbe() {
    }

    public static void main(String[] args) {
        try (ClusterRows rows = new ClusterRows(3, args.length > 0 ? args[0] : "bench")) {
            List<RedisServerProcess> masters = rows.cluster().masters();
            rows.warm();
            Random random = new Random(42);
            ZipfSampler zipf = new ZipfSampler(ClusterRows.ROWS, KeyStreams.EXPONENT);
            System.out.println("| master (slots) | keys | share of keys | hits: sent | share | mix: sent | share"
                    + " | mix: executed | share |");
            System.out.println("|---|---|---|---|---|---|---|---|---|");
            long[] keys = new long[masters.size()];
            for (int m = 0; m < masters.size(); m++) {
                keys[m] = Long.parseLong(masters.get(m).command("DBSIZE").replaceAll("[^0-9]", ""));
            }
            long[][] hits = run(masters, () -> rows.find(zipf.sample(random)));
            long[][] mix = run(masters, () -> {
                long id = zipf.sample(random);
                if (random.nextInt(100) < ThreadKeys.UPDATE_PERCENT) {
                    rows.update(id);
                } else {
                    rows.find(id);
                }
            });
            for (int m = 0; m < masters.size(); m++) {
                System.out.printf(Locale.ROOT, "| %d (%s) | %d | %.1f%% | %d | %.1f%% | %d | %.1f%% | %d | %.1f%% |%n",
                        m + 1, slots(masters.get(m)), keys[m], 100.0 * keys[m] / sum(keys),
                        hits[0][m], 100.0 * hits[0][m] / sum(hits[0]), mix[0][m], 100.0 * mix[0][m] / sum(mix[0]),
                        mix[1][m], 100.0 * mix[1][m] / sum(mix[1]));
            }
            System.out.printf(Locale.ROOT, "%nsent per hit: %.2f commands; per operation of the mix: %.2f commands"
                    + " (executed, inside scripts included: %.2f)%n", (double) sum(hits[0]) / OPERATIONS,
                    (double) sum(mix[0]) / OPERATIONS, (double) sum(mix[1]) / OPERATIONS);
            sample("hit (near cache validated: one wave)", masters, () -> rows.find(zipf.sample(random)));
            sample("commit (one row update: one script per stripe, then the message)", masters, () -> rows.update(zipf.sample(random)));
            System.out.printf("%nstats: %s%n", rows.cache().stats());
        }
    }

    /**
     * Commands per master during {@link #OPERATIONS} runs of {@code operation}: {@code [0]} those
     * Loom sent (MONITOR, commands inside scripts excluded), {@code [1]} those executed
     * (commandstats, inside scripts included).
     */
    private static long[][] run(List<RedisServerProcess> masters, Runnable operation) {
        List<MonitorTap> taps = new java.util.ArrayList<>();
        masters.forEach(master -> taps.add(new MonitorTap(master.port())));
        try {
            long[] before = calls(masters);
            for (int i = 0; i < OPERATIONS; i++) {
                operation.run();
            }
            long[] after = calls(masters);
            long[][] out = new long[2][masters.size()];
            for (int m = 0; m < masters.size(); m++) {
                out[0][m] = sent(masters.get(m), taps.get(m), "loom-probe-run")[0];
                out[1][m] = after[m] - before[m];
            }
            return out;
        } finally {
            taps.forEach(MonitorTap::close);
        }
    }

    /** Commands {@code tap} saw Loom send before {@code marker}: {@code [0]} all, {@code [1]} scripts. */
    private static long[] sent(RedisServerProcess master, MonitorTap tap, String marker) {
        master.command("ECHO", marker);
        long[] sent = new long[2];
        for (MonitorTap.MonitoredCommand command : tap.awaitLine(marker)) {
            String name = command.name().toLowerCase(Locale.ROOT);
            if (!command.insideScript() && CLIENT_COMMANDS.contains(name)) {
                sent[0]++;
                sent[1] += name.startsWith("eval") ? 1 : 0;
            }
        }
        return sent;
    }

    /**
     * One operation at a time: the commands it sent and the masters it touched, averaged over
     * {@link #SAMPLES}. Counted with MONITOR, which marks the commands a script runs inside it
     * (those are no round trip; commandstats counts them like sent ones).
     */
    private static void sample(String what, List<RedisServerProcess> masters, Runnable operation) {
        List<MonitorTap> taps = new java.util.ArrayList<>();
        masters.forEach(master -> taps.add(new MonitorTap(master.port())));
        try {
            long commands = 0;
            long scripts = 0;
            long touched = 0;
            for (int i = 0; i < SAMPLES; i++) {
                operation.run();
                for (int m = 0; m < masters.size(); m++) {
                    long[] sent = sent(masters.get(m), taps.get(m), "loom-probe-" + i);
                    commands += sent[0];
                    scripts += sent[1];
                    touched += sent[0] > 0 ? 1 : 0;
                }
            }
            System.out.printf(Locale.ROOT, "%s: %.2f commands sent (%.2f of them scripts), %.2f masters touched"
                    + " (average of %d)%n", what, (double) commands / SAMPLES, (double) scripts / SAMPLES,
                    (double) touched / SAMPLES, SAMPLES);
        } finally {
            taps.forEach(MonitorTap::close);
        }
    }

    /**
     * The commands Loom sends itself. commandstats also counts those its scripts run, which are no
     * round trip: the shares of commands below are of the work each master executes.
     */
    private static final List<String> CLIENT_COMMANDS = List.of("get", "mget", "set", "psetex", "del", "unlink",
            "eval", "evalsha");

    /** Calls of Loom's commands on each master, those run inside its scripts included (housekeeping excluded). */
    private static long[] calls(List<RedisServerProcess> masters) {
        long[] out = new long[masters.size()];
        for (int m = 0; m < masters.size(); m++) {
            for (String line : masters.get(m).command("INFO", "commandstats").split("\r\n")) {
                if (!line.startsWith("cmdstat_")) {
                    continue;
                }
                String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                if (!CLIENT_COMMANDS.contains(name)) {
                    continue; // housekeeping
                }
                int from = line.indexOf("calls=") + "calls=".length();
                out[m] += Long.parseLong(line.substring(from, line.indexOf(',', from)));
            }
        }
        return out;
    }

    /** The slot ranges a master serves, from its own CLUSTER NODES line. */
    private static String slots(RedisServerProcess master) {
        for (String line : master.command("CLUSTER", "NODES").split("\n")) {
            if (line.contains("myself")) {
                String[] parts = line.trim().split(" ");
                return String.join(" ", java.util.Arrays.copyOfRange(parts, 8, parts.length));
            }
        }
        return "?";
    }

    private static long sum(long[] values) {
        long total = 0;
        for (long value : values) {
            total += value;
        }
        return total;
    }
}
