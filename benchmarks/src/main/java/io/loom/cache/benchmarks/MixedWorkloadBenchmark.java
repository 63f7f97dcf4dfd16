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
 * Scenario 7 of the benchmark plan: {@value ThreadKeys#UPDATE_PERCENT}% committed updates and
 * 95% reads (half by id, half 20-row category pages), ids and categories Zipf-distributed, in the
 * steady state of a running application: every cache holds every row and first page at the start
 * of the trial (the same warming for every implementation). Besides throughput and
 * latency, the trial prints the measured entity and list hit ratios ("HIT RATIO" lines; also
 * appended to {@code -Dloom.bench.hitRatioFile}). The raw floor has no updates and is not part of it.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar MixedWorkloadBenchmark -t 8
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MixedWorkloadBenchmark extends ReaderBenchmark {

    /** Every implementation compared (the raw floor has no updates, so it is not in the mix). */
    @Param({"LOOM_REDIS", "LOOM_REDIS_PUSHED", "LOOM_REDIS_LEASED", "LOOM_MEMORY", "NO_CACHE", "HIBERNATE_2LC"})
    public Implementation implementation;

    @Override
    protected Implementation implementation() {
        return implementation;
    }

    /** Steady state: every row and first page read once before the trial, as in a running application. */
    @Override
    protected Warming warming() {
        return Warming.ALL;
    }

    @Benchmark
    public void mixed(ThreadKeys keys, Blackhole blackhole) {
        step(reader, keys, blackhole);
    }

    /** One operation of the mix: a read by id, a page read or a committed update. */
    static void step(EntityReader reader, ThreadKeys keys, Blackhole blackhole) {
        int position = keys.advance();
        switch (keys.operation(position)) {
            case KeyStreams.FIND -> blackhole.consume(reader.find(keys.id(position)));
            case KeyStreams.LIST -> blackhole.consume(reader.list(keys.category(position), BenchSettings.LIST_LIMIT));
            default -> reader.update(keys.id(position));
        }
    }
}
