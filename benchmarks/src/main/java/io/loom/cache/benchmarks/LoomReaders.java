package io.loom.cache.benchmarks;

/**
 * The one place where Loom's repositories are plugged into the benchmarks.
 *
 * <p>To wire Loom: build the entity manager factory on the same {@link BenchBook} mapping and a
 * {@link BenchDatabase#pool HikariCP pool}, wrap its repository with Loom's CachedRepository on
 * the Redis backend (keys under {@code settings.keyPrefix() + "loom:"}) or the memory backend,
 * return an {@link EntityReader} whose {@code find}/{@code list}/{@code update} call it and whose
 * {@code counters()} reports Loom's hit/miss statistics, then add the constant to the
 * {@code @Param} lists of the benchmarks.
 */
final class LoomReaders {

    private LoomReaders() {
    }

    // TODO(loom): wire LOOM_REDIS and LOOM_MEMORY here.
    static EntityReader create(Implementation implementation, BenchSettings settings, int maxThreads) {
        throw new UnsupportedOperationException(implementation
                + " is not wired into the benchmarks yet: implement LoomReaders.create");
    }
}
