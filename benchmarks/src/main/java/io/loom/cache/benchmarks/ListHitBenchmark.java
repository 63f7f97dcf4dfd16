package io.loom.cache.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Scenario 6 of the benchmark plan: the first 20 rows of a Zipf-distributed category, sorted by
 * title; every page cached beforehand (a query-cache hit for {@code HIBERNATE_2LC}, an index scan
 * for {@code NO_CACHE}).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ListHitBenchmark -t 1   # and -t 8
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ListHitBenchmark extends ReaderBenchmark {

    /** Every implementation compared, the raw-GET floor first. */
    @Param({"RAW_REDIS_GET", "LOOM_REDIS", "LOOM_REDIS_PUSHED", "LOOM_REDIS_LEASED", "LOOM_MEMORY", "NO_CACHE", "HIBERNATE_2LC"})
    public Implementation implementation;

    @Override
    protected Implementation implementation() {
        return implementation;
    }

    @Override
    protected Warming warming() {
        return Warming.PAGES;
    }

    @Benchmark
    public List<BookRow> list(ThreadKeys keys) {
        return reader.list(keys.category(keys.advance()), BenchSettings.LIST_LIMIT);
    }
}
