package io.loom.cache.internal.read;

import io.loom.cache.config.NearCacheSettings;
import io.loom.cache.gateway.GenerationStore.ReadResult;
import io.loom.cache.internal.codec.EntryCodec;
import io.loom.cache.internal.codec.MsgpackCodec;
import io.loom.cache.internal.generation.ForwardingGenerationStore;
import io.loom.cache.internal.generation.RedisGenerationStore;
import io.loom.cache.internal.near.NearCache;
import io.loom.cache.internal.near.NearCaches;
import io.loom.cache.invalidation.Fingerprint;
import io.loom.cache.invalidation.Tags;
import io.loom.cache.serialization.MsgpackSerializer;
import io.loom.cache.stats.CacheStats;
import io.loom.cache.testing.Await;
import io.loom.cache.testing.TestStores;
import org.redisson.api.RedissonClient;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One application node of a near-cache test: its own Redisson client, the Redis store of a shared
 * namespace (counted), a near cache and the read path over them, reading row 1 of "book" from a
 * shared stand-in database. Closing it shuts its client down.
 */
public final class NearCacheNode implements AutoCloseable {

    public static final String ENTITY = "book";
    public static final String ROW = Tags.row(ENTITY, "1");

    public final RedissonClient client;
    public final RedisGenerationStore redisStore;
    public final CountingStore store;
    public final CacheMetrics metrics = new CacheMetrics();
    public final NearCache near;
    public final StampedCache cache;
    private final AtomicReference<String> database;
    private final AtomicInteger loads;

    /**
     * @param database the shared stand-in database row
     * @param loads    counts every database load of every node
     */
    public NearCacheNode(RedissonClient client, String namespace, NearCacheSettings settings,
                         AtomicReference<String> database, AtomicInteger loads) {
        this.client = client;
        this.database = database;
        this.loads = loads;
        redisStore = TestStores.redis(client, namespace);
        store = new CountingStore(redisStore);
        near = NearCaches.create(settings, redisStore);
        cache = new StampedCache(store, metrics, CacheGuard.standard(Duration.ofSeconds(1)), 1 << 20, near);
    }

    /** Reads row 1 through the cache; a load returns {@code loaded}. */
    public <V> V get(EntryCodec<V> codec, V loaded) {
        return cache.get(new Lookup<>(ENTITY, "book:id:1", Set.of(ENTITY), Set.of(Tags.entity(ENTITY), ROW),
                Duration.ofMinutes(1), Duration.ofSeconds(5), codec, () -> {
                    loads.incrementAndGet();
                    return Lookup.Loaded.of(loaded, Set.of(), Set.of(ENTITY));
                }, true));
    }

    /** Reads row 1 through the cache; a load reads the stand-in database. */
    public String get() {
        return cache.get(new Lookup<>(ENTITY, "book:id:1", Set.of(ENTITY), Set.of(Tags.entity(ENTITY), ROW),
                Duration.ofMinutes(1), Duration.ofSeconds(5), MsgpackCodec.of(MsgpackSerializer.INSTANCE, String.class),
                () -> {
                    loads.incrementAndGet();
                    return Lookup.Loaded.of(database.get(), Set.of(), Set.of(ENTITY));
                }, true));
    }

    /** Reads row 1 through the cache; a load reads the stand-in database, then runs {@code afterRead}. */
    public String getWhile(Runnable afterRead) {
        return cache.get(new Lookup<>(ENTITY, "book:id:1", Set.of(ENTITY), Set.of(Tags.entity(ENTITY), ROW),
                Duration.ofMinutes(1), Duration.ofSeconds(5), MsgpackCodec.of(MsgpackSerializer.INSTANCE, String.class),
                () -> {
                    loads.incrementAndGet();
                    String value = database.get();
                    afterRead.run();
                    return Lookup.Loaded.of(value, Set.of(), Set.of(ENTITY));
                }, true));
    }

    /** A committed write of row 1 by this node: the database first, then the bump. */
    public void write(String value) {
        database.set(value);
        store.bump(List.of(Tags.writeEpoch(ENTITY)), List.of(ROW));
    }

    /**
     * A committed write of row 1 announced first, as the integrator does before the database
     * commits: the prepare, the database, then the bump.
     */
    public void writeAnnounced(String value) {
        near.prepare(List.of(ROW));
        write(value);
    }

    /** The counters once every store begun has been answered. */
    public CacheStats stats() {
        cache.awaitStores();
        return metrics.snapshot();
    }

    /** Waits until the near cache serves without a round trip; fails the test otherwise. */
    public void awaitLive(Duration wait, String failure) {
        Await.until(near::pushedLive, wait, failure);
    }

    @Override
    public void close() {
        near.close();
        client.shutdown();
    }

    /** A store that counts its reads and its validations of kept values (round trips of a near hit). */
    public static final class CountingStore extends ForwardingGenerationStore {
        public final AtomicInteger reads = new AtomicInteger();
        public final AtomicInteger validations = new AtomicInteger();

        CountingStore(RedisGenerationStore delegate) {
            super(delegate);
        }

        @Override
        public ReadResult read(String entryKey, List<String> epochTags) {
            reads.incrementAndGet();
            return super.read(entryKey, epochTags);
        }

        @Override
        public ReadResult read(String entryKey, Collection<String> expectedTags, List<String> epochTags) {
            reads.incrementAndGet();
            return super.read(entryKey, expectedTags, epochTags);
        }

        @Override
        public boolean isCurrent(Fingerprint stamp) {
            validations.incrementAndGet();
            return super.isCurrent(stamp);
        }
    }
}
