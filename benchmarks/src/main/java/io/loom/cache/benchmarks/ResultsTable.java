package io.loom.cache.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns JMH JSON results (and the hit counts {@link ReaderFixture} appends) into the Markdown
 * table of {@code benchmarks/README.md}: per scenario, implementation and thread count the
 * throughput (from Throughput mode, or {@code threads / mean latency} from SampleTime mode when
 * Throughput was not run, marked {@code ~}), p50 and p99, and the ratios to the raw-GET floor
 * (p50) and to Hibernate's cache and no cache (throughput).
 *
 * <pre>
 * java -cp benchmarks.jar io.loom.cache.benchmarks.ResultsTable jmh-t1.json jmh-t8.json [--hits hits.csv]
 * </pre>
 */
public final class ResultsTable {

    private final Map<String, Result> results = new TreeMap<>();
    private final Map<String, CacheCounters> hits = new LinkedHashMap<>();

    private ResultsTable() {
    }

    /** One scenario/implementation/thread-count cell; throughput in ops/s, latencies in us. */
    private static final class Result {
        final String scenario;
        final String implementation;
        final int threads;
        double throughput = Double.NaN;
        boolean throughputDerived;
        double p50 = Double.NaN;
        double p99 = Double.NaN;

        Result(String scenario, String implementation, int threads) {
            this.scenario = scenario;
            this.implementation = implementation;
            this.threads = threads;
        }
    }

    public static void main(String[] args) throws IOException {
        ResultsTable table = new ResultsTable();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--hits")) {
                table.readHits(Path.of(args[++i]));
            } else if (Files.exists(Path.of(args[i]))) {
                table.readJmh(Path.of(args[i]));
            }
        }
        System.out.print(table.render());
    }

    private void readJmh(Path file) throws IOException {
        for (JsonNode run : new ObjectMapper().readTree(file.toFile())) {
            String benchmark = run.get("benchmark").asText();
            String scenario = scenario(benchmark);
            String implementation = run.path("params").path("implementation").asText("?");
            int threads = run.get("threads").asInt();
            Result result = results.computeIfAbsent(key(scenario, threads, implementation),
                    k -> new Result(scenario, implementation, threads));
            JsonNode metric = run.get("primaryMetric");
            double seconds = secondsOf(metric.get("scoreUnit").asText());
            switch (run.get("mode").asText()) {
                case "thrpt" -> {
                    result.throughput = metric.get("score").asDouble() / seconds;
                    result.throughputDerived = false;
                }
                case "sample" -> {
                    double toMicros = seconds * 1e6;
                    result.p50 = metric.path("scorePercentiles").path("50.0").asDouble() * toMicros;
                    result.p99 = metric.path("scorePercentiles").path("99.0").asDouble() * toMicros;
                    if (Double.isNaN(result.throughput) || result.throughputDerived) {
                        result.throughput = threads * 1_000_000.0 / (metric.get("score").asDouble() * toMicros);
                        result.throughputDerived = true;
                    }
                }
                default -> {
                }
            }
        }
    }

    /** Seconds per unit of the time base of a JMH unit such as {@code ops/us} or {@code ms/op}. */
    private static double secondsOf(String unit) {
        String base = unit.startsWith("ops/") ? unit.substring(4) : unit.substring(0, unit.indexOf('/'));
        return switch (base) {
            case "ns" -> 1e-9;
            case "us" -> 1e-6;
            case "ms" -> 1e-3;
            case "s" -> 1.0;
            case "min" -> 60.0;
            default -> throw new BenchException("unsupported JMH unit " + unit);
        };
    }

    private void readHits(Path file) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        for (String line : Files.readAllLines(file)) {
            String[] f = line.split(",");
            if (f.length < 8) {
                continue;
            }
            String key = key(scenario(f[0]), Integer.parseInt(f[2]), f[1]);
            CacheCounters counters = new CacheCounters(Long.parseLong(f[4]), Long.parseLong(f[5]),
                    Long.parseLong(f[6]), Long.parseLong(f[7]));
            hits.merge(key, counters, CacheCounters::plus);
        }
    }

    private static String scenario(String benchmark) {
        String[] parts = benchmark.split("\\.");
        String simple = parts.length >= 2 ? parts[parts.length - 2] : benchmark;
        return switch (simple) {
            case "EntityHitBenchmark" -> "1 entity hit";
            case "ListHitBenchmark" -> "2 20-row list hit";
            case "MixedWorkloadBenchmark" -> "3 95/5 mix";
            default -> simple;
        };
    }

    private static String key(String scenario, int threads, String implementation) {
        return scenario + "|" + String.format("%03d", threads) + "|" + implementation;
    }

    private String render() {
        StringBuilder out = new StringBuilder();
        out.append("| scenario | threads | implementation | ops/s | p50 us | p99 us | p50 / floor | ops/s vs 2LC | ops/s vs no cache | hit ratio (entity / list) |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|\n");
        List<Result> ordered = new ArrayList<>(results.values());
        for (Result r : ordered) {
            Result floor = results.get(key(r.scenario, r.threads, Implementation.RAW_REDIS_GET.name()));
            Result hibernate = results.get(key(r.scenario, r.threads, Implementation.HIBERNATE_2LC.name()));
            Result uncached = results.get(key(r.scenario, r.threads, Implementation.NO_CACHE.name()));
            CacheCounters counters = hits.get(key(r.scenario, r.threads, r.implementation));
            out.append(String.format(Locale.ROOT, "| %s | %d | %s | %s%s | %s | %s | %s | %s | %s | %s |%n",
                    r.scenario.substring(2), r.threads, r.implementation,
                    r.throughputDerived ? "~" : "", number(r.throughput), number(r.p50), number(r.p99),
                    ratio(r.p50, floor == null ? Double.NaN : floor.p50),
                    ratio(r.throughput, hibernate == null ? Double.NaN : hibernate.throughput),
                    ratio(r.throughput, uncached == null ? Double.NaN : uncached.throughput),
                    counters == null ? "" : String.format(Locale.ROOT, "%s / %s",
                            percent(counters.entityHitRatio()), percent(counters.listHitRatio()))));
        }
        return out.toString();
    }

    private static String number(double value) {
        if (Double.isNaN(value)) {
            return "";
        }
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String ratio(double value, double base) {
        return Double.isNaN(value) || Double.isNaN(base) || base == 0 ? "" : String.format(Locale.ROOT, "%.2fx", value / base);
    }

    private static String percent(double ratio) {
        return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.0f%%", ratio * 100);
    }
}
