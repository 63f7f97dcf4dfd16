package io.loom.cache.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Scenarios 1-5 of the benchmark plan: read one row by a Zipf-distributed id, every row cached
 * beforehand (a hit for every cached implementation; a primary-key SELECT for {@code NO_CACHE}).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar EntityHitBenchmark -t 1   # and -t 8
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EntityHitBenchmark extends ReaderBenchmark {

    /** Every implementation compared, the raw-GET floor first. */
    @Param({"RAW_REDIS_GET", "LOOM_REDIS", "LOOM_REDIS_PUSHED", "LOOM_REDIS_LEASED", "LOOM_MEMORY", "NO_CACHE", "HIBERNATE_2LC"})
    public Implementation implementation;

    @Override
    protected Implementation implementation() {
        return implementation;
    }

    @Override
    protected Warming warming() {
        return Warming.ROWS;
    }

    @Benchmark
    public BookRow find(ThreadKeys keys) {
        return reader.find(keys.id(keys.advance()));
    }
}
