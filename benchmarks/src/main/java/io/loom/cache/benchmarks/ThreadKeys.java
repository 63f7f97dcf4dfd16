package io.loom.cache.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Per-thread Zipf key and operation sequences; each benchmark thread walks its own (differently
 * seeded) copy. Confined to its JMH thread.
 */
@State(Scope.Thread)
public class ThreadKeys {

    /** Share of committed updates in the mixed workload. */
    public static final int UPDATE_PERCENT = 5;
    /** Share of list reads among the mixed workload's reads (the rest are reads by id). */
    public static final int LIST_SHARE_OF_READS = 50;

    private static final int MASK = KeyStreams.LENGTH - 1;

    private long[] ids;
    private String[] categories;
    private byte[] operations;
    private int next;

    @Setup(Level.Trial)
    public void setUp(ThreadParams thread) {
        long seed = 1_000_003L * (thread.getThreadIndex() + 1);
        ids = KeyStreams.ids(seed);
        categories = KeyStreams.categories(seed);
        operations = KeyStreams.operations(seed, UPDATE_PERCENT, LIST_SHARE_OF_READS);
        next = thread.getThreadIndex() * 4_099;
    }

    /** Advances to the next position of the sequences. */
    int advance() {
        return next++ & MASK;
    }

    long id(int position) {
        return ids[position];
    }

    String category(int position) {
        return categories[position];
    }

    byte operation(int position) {
        return operations[position];
    }
}
