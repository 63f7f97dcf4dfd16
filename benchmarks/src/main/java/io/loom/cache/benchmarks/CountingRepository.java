package io.loom.cache.benchmarks;

import io.loom.cache.repository.FilterParams;
import io.loom.cache.repository.ForwardingRepository;
import io.loom.cache.repository.ListResult;
import io.loom.cache.repository.PageParams;
import io.loom.cache.repository.PageResult;
import io.loom.cache.repository.QuerySpec;
import io.loom.cache.repository.ReadTracking;
import io.loom.cache.repository.Repository;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A pass-through {@link Repository} (and {@link ReadTracking}) that counts the reads reaching the
 * database: placed under Loom's cache, it counts the cache's loads per kind, i.e. its misses (a
 * miss that joined another thread's load of the same entry is not a load and counts as a hit).
 * Reads made through it are counted too, so {@link #counters()} gives hits = reads - loads.
 * Thread-safe when the delegate is.
 */
final class CountingRepository<O, C, U, I> extends ForwardingRepository<O, C, U, I> implements ReadTracking {

    private final ReadTracking tracking;
    private final LongAdder entityLoads = new LongAdder();
    private final LongAdder listLoads = new LongAdder();
    private final LongAdder entityReads = new LongAdder();
    private final LongAdder listReads = new LongAdder();

    <R extends Repository<O, C, U, I> & ReadTracking> CountingRepository(R delegate) {
        super(delegate);
        this.tracking = delegate;
    }

    /** Counts one read by id made through the cache above (called by the reader). */
    void countEntityRead() {
        entityReads.increment();
    }

    /** Counts one list read made through the cache above (called by the reader). */
    void countListRead() {
        listReads.increment();
    }

    /** Misses = database loads; hits = reads counted by the reader minus loads. */
    CacheCounters counters() {
        long entityMisses = entityLoads.sum();
        long listMisses = listLoads.sum();
        return new CacheCounters(entityReads.sum() - entityMisses, entityMisses, listReads.sum() - listMisses, listMisses);
    }

    @Override
    public Optional<O> getById(I id, String profile) {
        entityLoads.increment();
        return super.getById(id, profile);
    }

    @Override
    public PageResult<O> listPaginated(PageParams page, FilterParams filters, String profile) {
        listLoads.increment();
        return super.listPaginated(page, filters, profile);
    }

    @Override
    public ListResult<O> listWithQuery(QuerySpec spec, String profile) {
        listLoads.increment();
        return super.listWithQuery(spec, profile);
    }

    @Override
    public <R> Tracked<R> tracked(Supplier<R> read) {
        return tracking.tracked(read);
    }

    @Override
    public Set<String> entitiesRead(String profile) {
        return tracking.entitiesRead(profile);
    }
}
