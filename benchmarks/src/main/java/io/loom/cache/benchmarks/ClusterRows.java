package io.loom.cache.benchmarks;

import io.loom.cache.LoomCache;
import io.loom.cache.config.BackendSettings;
import io.loom.cache.config.BackendType;
import io.loom.cache.config.CacheConfig;
import io.loom.cache.invalidation.CommittedChanges;
import io.loom.cache.invalidation.EntityNames;
import io.loom.cache.invalidation.RowRef;
import io.loom.cache.invalidation.MutationEvent;
import io.loom.cache.repository.FilterParams;
import io.loom.cache.repository.ListResult;
import io.loom.cache.repository.PageParams;
import io.loom.cache.repository.PageResult;
import io.loom.cache.repository.QuerySpec;
import io.loom.cache.repository.ReadTracking;
import io.loom.cache.repository.Repository;
import io.loom.cache.serialization.MsgpackSerializer;
import io.loom.cache.testing.RedisClusterProcess;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;

/**
 * The cluster benchmarks' data: {@link #ROWS} rows in memory (the "database", so the figures are
 * the cache's own), read by id through Loom on a Redis Cluster it owns ({@code redis-server}
 * processes on free ports, stopped by pid on {@link #close()}), and updated by a committed change
 * published through {@link LoomCache#publish}. Default near cache ({@code validated}); the
 * namespace has no hash tag, so entries and counters spread over every slot.
 */
final class ClusterRows implements AutoCloseable {

    static final int ROWS = 10_000;
    static final String ENTITY = "ClusterRow";

    /** One row as the repository returns it. */
    record Row(long id, String title, long revision) {
    }

    private final RedisClusterProcess cluster;
    private final RedissonClient client;
    private final LoomCache cache;
    private final Repository<Row, Row, Row, Long> rows;
    private final AtomicLongArray revisions = new AtomicLongArray(ROWS);

    ClusterRows(int masters) {
        this(masters, "bench");
    }

    /** On a namespace of its own: the namespace decides which slots the keys hash to. */
    ClusterRows(int masters, String namespace) {
        cluster = RedisClusterProcess.start(masters, 0);
        try {
            Config config = Config.fromYAML(new File(cluster.redissonConfig()));
            config.useClusterServers().setTimeout(3000);
            client = Redisson.create(config);
        } catch (IOException e) {
            cluster.close();
            throw new UncheckedIOException(e);
        }
        CacheConfig config = CacheConfig.builder().backend("default", BackendSettings.builder(BackendType.REDIS)
                        .redissonConfig(cluster.redissonConfig()).serializer(MsgpackSerializer.NAME)
                        .namespace(namespace).build())
                .defaultTtl(Duration.ofHours(1)).build();
        cache = LoomCache.builder(config).redissonClient(client).build();
        rows = cache.wrap(new MemoryRows());
    }

    RedisClusterProcess cluster() {
        return cluster;
    }

    LoomCache cache() {
        return cache;
    }

    /** Reads every row once (a miss each), so that every later read hits. */
    void warm() {
        for (long id = 0; id < ROWS; id++) {
            find(id);
        }
    }

    Row find(long id) {
        return rows.getById(id).orElseThrow();
    }

    /** A committed update of the row's revision: the "database" first, then the bump. */
    long update(long id) {
        int index = (int) id;
        long old = revisions.getAndIncrement(index);
        cache.publish(CommittedChanges.of(List.of(MutationEvent.update(ENTITY, id, Set.of("revision"),
                Map.of("revision", old), Map.of("revision", old + 1)))));
        return old + 1;
    }

    @Override
    public void close() {
        try {
            cache.close();
            client.shutdown();
        } finally {
            cluster.close();
        }
    }

    /** The in-memory table under the cache: lookups by id only, each reporting the row it read (as JPA repositories do). */
    private final class MemoryRows implements Repository<Row, Row, Row, Long>, ReadTracking {

        @Override
        public <R> Tracked<R> tracked(Supplier<R> read) {
            R value = read.get();
            Set<RowRef> loaded = value instanceof Optional<?> found && found.orElse(null) instanceof Row row
                    ? Set.of(RowRef.of(ENTITY, row.id())) : Set.of();
            return new Tracked<>(value, loaded);
        }

        @Override
        public Set<String> entitiesRead(String profile) {
            return Set.of(EntityNames.normalize(ENTITY));
        }

        @Override
        public String entityName() {
            return ENTITY;
        }

        @Override
        public Class<Row> outputType() {
            return Row.class;
        }

        @Override
        public Optional<Row> getById(Long id, String profile) {
            return id >= 0 && id < ROWS ? Optional.of(new Row(id, "title " + id, revisions.get(id.intValue())))
                    : Optional.empty();
        }

        @Override
        public Optional<Row> getBy(String field, Object value, String profile) {
            throw new UnsupportedOperationException("lookups by id only");
        }

        @Override
        public boolean existsBy(String field, Object value) {
            throw new UnsupportedOperationException("lookups by id only");
        }

        @Override
        public PageResult<Row> listPaginated(PageParams page, FilterParams filters, String profile) {
            throw new UnsupportedOperationException("lookups by id only");
        }

        @Override
        public ListResult<Row> listWithQuery(QuerySpec spec, String profile) {
            throw new UnsupportedOperationException("lookups by id only");
        }

        @Override
        public Row create(Row values) {
            throw new UnsupportedOperationException("lookups by id only");
        }

        @Override
        public Optional<Row> update(Long id, Row changes) {
            throw new UnsupportedOperationException("updates go through ClusterRows.update");
        }

        @Override
        public boolean delete(Long id) {
            throw new UnsupportedOperationException("lookups by id only");
        }
    }
}
