package io.loom.cache.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The 95/5 mix of {@link MixedWorkloadBenchmark} from a cold start: nothing is cached when the
 * trial begins, so it measures how fast the cache fills while updates commit. The figure that
 * matters is printed at the end of the trial ("LOOM STATS"): of the loads, how many were stored
 * and why the others were not ({@code storesSkipped}, {@code racedStores}).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ColdMixBenchmark -t 8
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ColdMixBenchmark extends ReaderBenchmark {

    @Param({"LOOM_REDIS", "LOOM_REDIS_PUSHED", "LOOM_REDIS_LEASED", "LOOM_MEMORY"})
    public Implementation implementation;

    @Override
    protected Implementation implementation() {
        return implementation;
    }

    @Override
    protected Warming warming() {
        return Warming.NONE;
    }

    @Benchmark
    public void mixed(ThreadKeys keys, Blackhole blackhole) {
        MixedWorkloadBenchmark.step(reader, keys, blackhole);
    }
}
