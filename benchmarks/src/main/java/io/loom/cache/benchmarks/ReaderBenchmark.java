package io.loom.cache.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;

/**
 * The lifecycle every reader benchmark shares: one {@link ReaderFixture} per trial for the
 * implementation under test, with hit counting per measurement iteration.
 */
public abstract class ReaderBenchmark {

    private ReaderFixture fixture;
    /** The reader under test, open for the whole trial. */
    protected EntityReader reader;

    /** The implementation this trial measures (the subclass's {@code @Param}). */
    protected abstract Implementation implementation();

    /** What is cached before measuring: what the benchmark reads. */
    protected abstract Warming warming();

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        fixture = ReaderFixture.open(implementation(), params, warming());
        reader = fixture.reader();
    }

    @Setup(Level.Iteration)
    public void beginIteration() {
        fixture.beginIteration();
    }

    @TearDown(Level.Iteration)
    public void endIteration(IterationParams iteration) {
        fixture.endIteration(iteration);
    }

    @TearDown(Level.Trial)
    public void tearDown(BenchmarkParams params) {
        fixture.close(params);
    }
}
