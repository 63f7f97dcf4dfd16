package io.loom.cache.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

/**
 * What one committed update costs: plain Hibernate ({@code NO_CACHE}) against Loom with its
 * default near cache ({@code LOOM_REDIS}, no acknowledgements) and with the leased one
 * ({@code LOOM_REDIS_LEASED}), where {@code commit()} returns once every other node holding a
 * lease acknowledged the bump. The other {@code nodes - 1} nodes are processes of their own
 * ({@link PeerNode}) on the same namespace; they hold leases and acknowledge, as application
 * nodes do. Plain Hibernate has no nodes to tell, so it runs once.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar CommitBenchmark -t 1
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CommitBenchmark extends ReaderBenchmark {

    @Param({"NO_CACHE", "LOOM_REDIS", "LOOM_REDIS_LEASED"})
    public Implementation implementation;

    /** Application nodes on the namespace, this one included. */
    @Param({"1", "2", "4", "8"})
    public int nodes;

    static {
        // The other nodes are processes of their own: no second node in this JVM.
        System.setProperty(LoomReaders.IN_PROCESS_PEER, "false");
    }

    private final List<Process> peers = new ArrayList<>();

    @Override
    protected Implementation implementation() {
        return implementation;
    }

    @Override
    protected Warming warming() {
        return Warming.ROWS;
    }

    /** Runs after the reader's set-up (JMH runs a superclass's set-up first). */
    @Setup(Level.Trial)
    public void startPeers() {
        if (implementation == Implementation.NO_CACHE) {
            return;
        }
        BenchSettings settings = BenchSettings.fromSystemProperties();
        try {
            for (int peer = 1; peer < nodes; peer++) {
                peers.add(PeerNode.start(LoomReaders.properties(implementation, settings)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Benchmark
    public void commit(ThreadKeys keys) {
        if (implementation == Implementation.NO_CACHE && nodes > 1) {
            return; // plain Hibernate tells no node: measured once, at nodes = 1
        }
        reader.update(keys.id(keys.advance()));
    }

    @TearDown(Level.Trial)
    public void stopPeers() {
        peers.forEach(PeerNode::stop);
        peers.clear();
    }
}
