package io.loom.cache.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.ThreadParams;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Loom on a Redis Cluster of one master against three, in the same run: reads by a
 * Zipf-distributed id of {@link ClusterRows#ROWS} rows, every row cached beforehand ({@code hit}),
 * 95% such reads with 5% committed updates ({@code mix}), and committed updates alone
 * ({@code commit}: its bump is the round trips of a commit on the cluster). Each trial starts its own cluster
 * ({@code redis-server --cluster-enabled yes} on free ports) and stops it.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ClusterScaleBenchmark -f 1 -wi 1 -w 2s -i 2 -r 2s -bm thrpt -t 8
 * java -jar benchmarks/target/benchmarks.jar "ClusterScaleBenchmark.commit" -f 1 -wi 1 -w 2s -i 1 -r 5s -bm sample -t 1 -tu us
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ClusterScaleBenchmark {

    /** Masters of the cluster: every slot on one, or spread over three. */
    @Param({"1", "3"})
    public int masters;

    private ClusterRows rows;

    @Setup(Level.Trial)
    public void start() {
        rows = new ClusterRows(masters);
        rows.warm();
    }

    @TearDown(Level.Trial)
    public void stop() {
        rows.close();
    }

    /** A thread's Zipf id sequence and operation mix. */
    @State(Scope.Thread)
    public static class Keys {
        private static final int LENGTH = 1 << 16;
        private final long[] ids = new long[LENGTH];
        private final boolean[] updates = new boolean[LENGTH];
        private int next;

        @Setup(Level.Trial)
        public void setUp(ThreadParams thread) {
            Random random = new Random(1_000_003L * (thread.getThreadIndex() + 1));
            ZipfSampler zipf = new ZipfSampler(ClusterRows.ROWS, KeyStreams.EXPONENT);
            for (int i = 0; i < LENGTH; i++) {
                ids[i] = zipf.sample(random);
                updates[i] = random.nextInt(100) < ThreadKeys.UPDATE_PERCENT;
            }
        }

        int advance() {
            return next++ & (LENGTH - 1);
        }
    }

    @Benchmark
    public ClusterRows.Row hit(Keys keys) {
        return rows.find(keys.ids[keys.advance()]);
    }

    @Benchmark
    public Object mix(Keys keys) {
        int at = keys.advance();
        long id = keys.ids[at];
        return keys.updates[at] ? (Object) rows.update(id) : rows.find(id);
    }

    @Benchmark
    public Object commit(Keys keys) {
        return rows.update(keys.ids[keys.advance()]);
    }
}
