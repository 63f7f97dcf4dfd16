package io.loom.cache.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The trial-level life cycle every benchmark shares: seed the table, clear stale benchmark keys,
 * create and warm the reader, count cache hits over the measurement iterations only, report them
 * and clean up. Hit counts are printed at the end of the trial and, when the system property
 * {@code loom.bench.hitRatioFile} names a file, appended to it as CSV. Used by one JMH control
 * thread at a time (JMH runs trial and iteration fixtures on a single thread).
 */
final class ReaderFixture {

    private final Implementation implementation;
    private final EntityReader reader;
    private CacheCounters atIterationStart = CacheCounters.NONE;
    private CacheCounters measured = CacheCounters.NONE;

    private ReaderFixture(Implementation implementation, EntityReader reader) {
        this.implementation = implementation;
        this.reader = reader;
    }

    static ReaderFixture open(Implementation implementation, BenchmarkParams params, Warming warming) {
        long start = System.nanoTime();
        BenchSettings settings = BenchSettings.fromSystemProperties();
        BenchDatabase.ensureSeeded(settings);
        RedisKeys.deleteAll(settings, "");
        long seeded = System.nanoTime();
        EntityReader reader = implementation.create(settings, params.getThreads());
        long created = System.nanoTime();
        reader.warm(warming);
        System.out.printf(Locale.ROOT, "%nSETUP %s: seed check %d ms, reader %d ms, warm (%s) %d ms%n", implementation,
                (seeded - start) / 1_000_000, (created - seeded) / 1_000_000, warming, (System.nanoTime() - created) / 1_000_000);
        return new ReaderFixture(implementation, reader);
    }

    EntityReader reader() {
        return reader;
    }

    void beginIteration() {
        atIterationStart = reader.counters();
    }

    void endIteration(IterationParams iteration) {
        if (iteration.getType() == IterationType.MEASUREMENT) {
            measured = measured.plus(reader.counters().minus(atIterationStart));
        }
    }

    void close(BenchmarkParams params) {
        try {
            report(params);
        } finally {
            reader.close();
        }
    }

    private void report(BenchmarkParams params) {
        if (measured.equals(CacheCounters.NONE)) {
            return;
        }
        String benchmark = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.', params.getBenchmark().lastIndexOf('.') - 1) + 1);
        String mode = params.getMode().shortLabel();
        System.out.printf(Locale.ROOT, "%nHIT RATIO %s %s threads=%d mode=%s: entity %.3f (%d/%d), list %.3f (%d/%d)%n",
                benchmark, implementation, params.getThreads(), mode,
                measured.entityHitRatio(), measured.entityHits(), measured.entityHits() + measured.entityMisses(),
                measured.listHitRatio(), measured.listHits(), measured.listHits() + measured.listMisses());
        String file = System.getProperty("loom.bench.hitRatioFile");
        if (file != null) {
            String line = String.join(",", benchmark, implementation.name(), Integer.toString(params.getThreads()), mode,
                    Long.toString(measured.entityHits()), Long.toString(measured.entityMisses()),
                    Long.toString(measured.listHits()), Long.toString(measured.listMisses())) + "\n";
            try {
                Files.writeString(Path.of(file), line, StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new BenchException("cannot append hit counts to " + file, e);
            }
        }
    }
}
