package io.loom.cache.benchmarks;

import io.loom.cache.testing.RedisServerProcess;

import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * How Loom spreads over a three-master Redis Cluster it starts itself ({@link ClusterRows}): the
 * share of keys ({@code DBSIZE}) and of Loom's commands ({@code INFO commandstats}: GET, SET,
 * EVAL and the like; housekeeping and the commands scripts run inside excluded) on each master, for Zipf reads by id and for the 95/5 mix; and, sampled
 * one operation at a time, the commands and the masters one hit and one commit touch.
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
            System.out.println("| master (slots) | keys | share of keys | commands (hits) | share | commands (mix) | share |");
            System.out.println("|---|---|---|---|---|---|---|");
            long[] keys = new long[masters.size()];
            for (int m = 0; m < masters.size(); m++) {
                keys[m] = Long.parseLong(masters.get(m).command("DBSIZE").replaceAll("[^0-9]", ""));
            }
            long[] hits = run(masters, () -> rows.find(zipf.sample(random)));
            long[] mix = run(masters, () -> {
                long id = zipf.sample(random);
                if (random.nextInt(100) < ThreadKeys.UPDATE_PERCENT) {
                    rows.update(id);
                } else {
                    rows.find(id);
                }
            });
            for (int m = 0; m < masters.size(); m++) {
                System.out.printf(Locale.ROOT, "| %d (%s) | %d | %.1f%% | %d | %.1f%% | %d | %.1f%% |%n", m + 1, slots(masters.get(m)), keys[m],
                        100.0 * keys[m] / sum(keys), hits[m], 100.0 * hits[m] / sum(hits), mix[m],
                        100.0 * mix[m] / sum(mix));
            }
            System.out.printf(Locale.ROOT, "%nper hit: %.2f commands; per operation of the mix: %.2f commands%n",
                    (double) sum(hits) / OPERATIONS, (double) sum(mix) / OPERATIONS);
            sample("hit (near cache validated: one wave)", masters, () -> rows.find(zipf.sample(random)));
            sample("commit (one row update: epochs, tags, message)", masters, () -> rows.update(zipf.sample(random)));
            System.out.printf("%nstats: %s%n", rows.cache().stats());
        }
    }

    /** Data commands per master during {@link #OPERATIONS} runs of {@code operation}. */
    private static long[] run(List<RedisServerProcess> masters, Runnable operation) {
        long[] before = calls(masters);
        for (int i = 0; i < OPERATIONS; i++) {
            operation.run();
        }
        long[] after = calls(masters);
        long[] out = new long[masters.size()];
        for (int m = 0; m < out.length; m++) {
            out[m] = after[m] - before[m];
        }
        return out;
    }

    /** One operation at a time: commands and masters it touched, averaged over {@link #SAMPLES}. */
    private static void sample(String what, List<RedisServerProcess> masters, Runnable operation) {
        long commands = 0;
        long touched = 0;
        for (int i = 0; i < SAMPLES; i++) {
            long[] before = calls(masters);
            operation.run();
            long[] after = calls(masters);
            for (int m = 0; m < masters.size(); m++) {
                commands += after[m] - before[m];
                touched += after[m] > before[m] ? 1 : 0;
            }
        }
        System.out.printf(Locale.ROOT, "%s: %.2f commands, %.2f masters touched (average of %d)%n", what,
                (double) commands / SAMPLES, (double) touched / SAMPLES, SAMPLES);
    }

    /** The commands Loom sends itself; commandstats also counts those its scripts run, which are no round trip. */
    private static final List<String> CLIENT_COMMANDS = List.of("get", "mget", "set", "psetex", "del", "unlink",
            "eval", "evalsha");

    /** Calls of Loom's own commands on each master (housekeeping and commands inside scripts excluded). */
    private static long[] calls(List<RedisServerProcess> masters) {
        long[] out = new long[masters.size()];
        for (int m = 0; m < masters.size(); m++) {
            for (String line : masters.get(m).command("INFO", "commandstats").split("\r\n")) {
                if (!line.startsWith("cmdstat_")) {
                    continue;
                }
                String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                if (!CLIENT_COMMANDS.contains(name)) {
                    continue; // housekeeping, or a command run inside a script (counted by its EVAL)
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
