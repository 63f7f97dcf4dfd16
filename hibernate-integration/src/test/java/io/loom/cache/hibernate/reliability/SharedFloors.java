package io.loom.cache.hibernate.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Committed versions shared by the processes of one version check: a memory-mapped file of longs
 * (one per book, then a stop flag, then the operations every node ran), written and read with
 * volatile semantics (the operations with an atomic add, as several processes add to it). Every process maps
 * the same pages, so a version a writer records after its commit returned is seen by a reader in
 * another process that starts a read afterwards.
 */
final class SharedFloors {

    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final MappedByteBuffer map;
    private final int books;

    private SharedFloors(MappedByteBuffer map, int books) {
        this.map = map;
        this.books = books;
    }

    /** Maps (creating when absent) the file for {@code books} books. */
    static SharedFloors open(Path file, int books) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            return new SharedFloors(channel.map(FileChannel.MapMode.READ_WRITE, 0, 8L * (books + 2)), books);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map " + file, e);
        }
    }

    long committed(int book) {
        return (long) LONGS.getVolatile(map, 8 * book);
    }

    void commit(int book, long version) {
        LONGS.setVolatile(map, 8 * book, version);
    }

    boolean stopped() {
        return (long) LONGS.getVolatile(map, 8 * books) != 0;
    }

    void stop() {
        LONGS.setVolatile(map, 8 * books, 1L);
    }

    /** Adds {@code count} reads and writes a node ran to the total of every node. */
    void addOperations(long count) {
        LONGS.getAndAdd(map, 8 * (books + 1), count);
    }

    /** Reads and writes every node ran so far (each adds its count in batches). */
    long operations() {
        return (long) LONGS.getVolatile(map, 8 * (books + 1));
    }
}
