package io.loom.cache;

import com.github.benmanes.caffeine.cache.Ticker;
import io.loom.cache.config.CacheConfig;
import io.loom.cache.config.NearCacheMode;
import io.loom.cache.gateway.AliasRegistry;
import io.loom.cache.gateway.CacheGateway;
import io.loom.cache.gateway.GenerationStore;
import io.loom.cache.internal.backend.BackendFactory;
import io.loom.cache.internal.codec.MsgpackCodec;
import io.loom.cache.internal.commit.DeliveredResolver;
import io.loom.cache.internal.commit.InvalidationPublisher;
import io.loom.cache.internal.commit.PreparedCommitReplay;
import io.loom.cache.internal.generation.LeaseChannel;
import io.loom.cache.internal.declared.DeclaredCaching;
import io.loom.cache.internal.near.Announcement;
import io.loom.cache.internal.near.NearCache;
import io.loom.cache.internal.near.NearCaches;
import io.loom.cache.internal.read.CacheGuard;
import io.loom.cache.internal.read.CacheMetrics;
import io.loom.cache.internal.read.Lookup;
import io.loom.cache.internal.read.StampedCache;
import io.loom.cache.invalidation.CommittedChanges;
import io.loom.cache.invalidation.DependencyResolver;
import io.loom.cache.invalidation.EntityNames;
import io.loom.cache.invalidation.GenerationalDependencyResolver;
import io.loom.cache.invalidation.Invalidation;
import io.loom.cache.invalidation.ListScope;
import io.loom.cache.invalidation.RowRef;
import io.loom.cache.invalidation.TagValues;
import io.loom.cache.repository.Repository;
import io.loom.cache.serialization.MsgpackSerializer;
import io.loom.cache.stats.CacheActivity;
import io.loom.cache.stats.CacheStats;
import org.redisson.api.RedissonClient;

import java.lang.reflect.Type;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One running cache: its backends, generation counters, metrics and invalidation delivery. Build
 * one per application (per persistence unit); the Hibernate integration builds it from
 * {@code persistence.xml} properties. Wrap repositories with {@link #wrap}; committed changes
 * arrive through {@link #publish} (the Hibernate integrator calls it at commit).
 *
 * <p>Thread-safe. Close it on shutdown.
 */
public final class LoomCache implements AutoCloseable {

    /** How long the circuit stays open after a backend failure before one read probes again. */
    public static final Duration DEFAULT_CIRCUIT_OPEN = Duration.ofSeconds(2);
    /** How often undelivered invalidations are retried. */
    public static final Duration DEFAULT_RETRY_EVERY = Duration.ofMillis(250);
    /** How often each leased node looks for recorded prepares that their dead node never bumped. */
    static final Duration REPLAY_SWEEP_EVERY = Duration.ofSeconds(1);
    /** How long a claimed record waits before another node may claim it again. */
    static final Duration REPLAY_CLAIM_DELAY = Duration.ofSeconds(5);

    private final CacheConfig config;
    private final MsgpackSerializer serializer = MsgpackSerializer.INSTANCE;
    private final AliasRegistry aliases;
    private final GenerationStore store;
    private final GenerationalDependencyResolver rules;
    private final DeliveredResolver resolver;
    private final CacheMetrics metrics = new CacheMetrics();
    private final CacheGuard guard;
    private final NearCache near;
    private final StampedCache cache;
    private final InvalidationPublisher publisher;
    /** Replays the recorded prepares of nodes that died before their bump, or null when none are kept. */
    private final PreparedCommitReplay replay;
    /** The most a prepare waits for Redis to record it. */
    private final Duration recordBudget;

    private LoomCache(Builder builder) {
        this.config = builder.config;
        this.guard = CacheGuard.standard(builder.circuitOpen);
        metrics.circuitState(() -> !guard.closed());
        this.aliases = new AliasRegistry(config, BackendFactory.provider(builder.redisson));
        try {
            CacheGateway entries = aliases.gateway(config.alias());
            CacheGateway counters = aliases.gateway(config.effectiveCounterAlias());
            this.store = entries.generationStore(counters, GenerationStore.Options.of(config, builder.clock));
            this.near = NearCaches.create(config.nearCache(), store);
        } catch (RuntimeException e) {
            aliases.close();
            throw e;
        }
        this.rules = new GenerationalDependencyResolver(store);
        this.publisher = new InvalidationPublisher(rules, guard, metrics, builder.retryEvery,
                near == null ? Duration.ZERO : near.undeliveredCommitHold());
        this.resolver = new DeliveredResolver(rules, publisher);
        this.cache = new StampedCache(store, resolver, metrics, guard, config.maxValueBytes(), near,
                Ticker.systemTicker());
        boolean records = announcesCommits() && config.bump().replicas() == 0;
        this.recordBudget = store instanceof LeaseChannel leased ? leased.bumpBudget() : Duration.ZERO;
        this.replay = records ? new PreparedCommitReplay(((LeaseChannel) store).channel(), rules::bump,
                REPLAY_SWEEP_EVERY, REPLAY_CLAIM_DELAY) : null;
    }

    /** A cache as {@code config} describes it. */
    public static LoomCache create(CacheConfig config) {
        return builder(config).build();
    }

    /** The zero-setup default: one in-process memory backend. */
    public static LoomCache inMemory() {
        return create(CacheConfig.defaults());
    }

    public static Builder builder(CacheConfig config) {
        return new Builder(config);
    }

    /**
     * Wraps a repository with cache-aside reads. When caching is disabled in the configuration the
     * repository itself is returned: a pure pass-through.
     */
    public <O, C, U, I> Repository<O, C, U, I> wrap(Repository<O, C, U, I> repository) {
        Objects.requireNonNull(repository, "repository");
        if (!config.enabled()) {
            return repository;
        }
        return new CachedRepository<>(repository, cache, resolver, config, serializer);
    }

    /**
     * Wraps a {@link io.loom.cache.declarative.Cached @Cached} repository interface: its
     * {@link io.loom.cache.declarative.CacheQuery @CacheQuery} methods are served from the cache,
     * every other method calls {@code target} directly. Everything is checked here, not at the
     * first call. When caching is disabled, {@code target} itself is returned (after the checks).
     * The proxy is thread-safe when the target is. Rows reported by a target that implements
     * {@link io.loom.cache.repository.ReadTracking} make results row-precise.
     *
     * @throws io.loom.cache.declarative.DeclarativeCachingException when the interface is not
     *         {@code @Cached}, names no entity, or a {@code @CacheQuery} method returns or takes a
     *         type that cannot be cached (the message names the method)
     */
    public <R> R wrapDeclared(Class<R> repositoryInterface, R target) {
        return DeclaredCaching.proxy(repositoryInterface, target, cache, resolver, config, serializer);
    }

    /**
     * Reads a value that depends on whole entities through the cache, for results Loom cannot
     * derive row- or field-precise tags for (a custom query, an application cache): a hit while
     * no committed insert, update or delete of any of {@code entities} (or an
     * {@link #invalidate(String)} of one) happened since it was stored; otherwise {@code load}
     * runs and its value is stored, unless such a write committed while it ran (the same
     * race-free rule as every Loom read). A null value is returned and not stored. When caching is
     * disabled {@code load} simply runs.
     *
     * @param key      identifies the value among those of the first entity (any text; hashed)
     * @param entities entity names (any spelling {@link EntityNames} normalizes), at least one;
     *                 the first one's statistics count the reads
     * @param type     the value's type, possibly generic ({@code List<BookView>}), for decoding
     * @param ttl      time to live of the stored value
     * @throws IllegalArgumentException when {@code entities} is empty
     */
    public <V> V getOrLoad(String key, Collection<String> entities, Type type,
                           Duration ttl, Supplier<V> load) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(load, "load");
        if (entities.isEmpty()) {
            throw new IllegalArgumentException("a cached value must depend on at least one entity");
        }
        if (!config.enabled()) {
            return load.get();
        }
        Set<String> names = new LinkedHashSet<>();
        entities.forEach(entity -> names.add(EntityNames.normalize(entity)));
        String owner = names.iterator().next();
        Set<String> tags = new LinkedHashSet<>();
        names.forEach(entity -> tags.addAll(resolver.listTags(entity, ListScope.opaqueQuery())));
        String entryKey = owner + ":custom:" + TagValues.hash(type.getTypeName() + "|" + key);
        return cache.get(new Lookup<V>(owner, entryKey, Set.copyOf(names), Set.copyOf(tags),
                Objects.requireNonNull(ttl, "ttl"), null,
                MsgpackCodec.ofType(serializer, type),
                () -> Lookup.Loaded.of(load.get(), Set.of(), Set.copyOf(names))));
    }

    /** Invalidates what one committed transaction changed, in one round trip. Never throws. */
    public void publish(CommittedChanges changes) {
        resolver.bump(changes);
    }

    /**
     * Like {@link #publish(CommittedChanges)}; {@code onDelivered} runs once the invalidations reached
     * the cache backend (at once, or later from the retry thread; never when they were not
     * delivered, e.g. the cache closed first). Never throws; {@code onDelivered} must not block.
     */
    public void publish(CommittedChanges changes, Runnable onDelivered) {
        publisher.publish(changes, Objects.requireNonNull(onDelivered, "onDelivered"));
    }

    /** {@link #publish(CommittedChanges, Runnable)} of changes already resolved with {@link #resolve}. */
    public void publish(Invalidation invalidation, Runnable onDelivered) {
        publisher.publish(Objects.requireNonNull(invalidation, "invalidation"),
                Objects.requireNonNull(onDelivered, "onDelivered"));
    }

    /**
     * Announces, before the database commits, the invalidation a transaction's commit will
     * {@link #publish}: with the leased near cache the other nodes block its tags and acknowledge
     * while the database commits, so the commit need not wait for them after its bump; and Redis
     * records the invalidation, waiting at most the bump budget for it, so that another node bumps
     * it should this one die before its bump (replayed no earlier than {@code replayAfter} after
     * now, and only once this node's lease lapsed). Optional (a commit not announced waits for the
     * acknowledgements of its bump); when the transaction rolls back, {@link #abandonPrepared}
     * (or else the blocks end after one lease term, and the record is replayed once, harmlessly).
     * Never throws.
     *
     * @return whether the invalidation was recorded; {@link PreparedCommit#delivered()} once published
     */
    public PreparedCommit prepare(Invalidation invalidation, Duration replayAfter) {
        return announce(invalidation, Objects.requireNonNull(replayAfter, "replayAfter")).complete();
    }

    /**
     * {@link #prepare(Invalidation, Duration)} without the record, for a caller that keeps no
     * durable outbox: the other nodes still block and acknowledge while the database commits.
     * Never throws.
     */
    public void prepare(Invalidation invalidation) {
        announce(invalidation, null).complete();
    }

    /**
     * Sends {@link #prepare}'s announcement of {@code invalidation} without waiting, for a writer
     * that knows what its commit will invalidate while the transaction still runs statements: the
     * round trip then overlaps the database's. Before the database commits, the writer completes
     * it if it still {@link AnnouncedCommit#announces} the whole commit, else withdraws it.
     * Never throws.
     *
     * @param replayAfter as for {@link #prepare(Invalidation, Duration)}, or null to keep no record
     */
    public AnnouncedCommit announce(Invalidation invalidation, Duration replayAfter) {
        Objects.requireNonNull(invalidation, "invalidation");
        if (near == null) {
            return AnnouncedCommit.NONE;
        }
        // Not allowCache(): that would take the probe of an open circuit from the next read.
        boolean redisAnswers = guard.closed() && !guard.hasPendingInvalidations();
        String record = replayAfter != null && replay != null && redisAnswers ? invalidation.encodeForRecord() : null;
        Announcement sent = near.prepare(invalidation.tags(), record,
                replayAfter == null ? 0 : replayAfter.toMillis());
        return sent == null ? AnnouncedCommit.NONE : new AnnouncedCommit(invalidation, sent, replay, recordBudget);
    }

    /** Whether {@link #prepare} announces commits here (the leased near cache): worth calling before each commit. */
    public boolean announcesCommits() {
        return near != null && config.nearCache().mode() == NearCacheMode.LEASED && store instanceof LeaseChannel;
    }

    /**
     * The transaction this thread announced with {@link #prepare} rolled back: the other nodes
     * stop holding its tags back now. Optional; never throws.
     */
    public void abandonPrepared() {
        if (near != null) {
            near.abandonPrepared();
        }
    }

    /** The counters {@code changes} would move, resolved without moving them (for a durable outbox). */
    public Invalidation resolve(CommittedChanges changes) {
        return rules.resolve(changes);
    }

    /**
     * Moves the counters of a resolved invalidation now, in one round trip (replay of a durable
     * outbox). Unlike {@link #publish} it neither retries nor swallows failures.
     *
     * @throws io.loom.cache.error.LoomException (a backend subtype) when the counters cannot be reached
     */
    public void deliver(Invalidation invalidation) {
        rules.bump(invalidation);
    }

    /**
     * Invalidates every cached entry of an entity, for writes the cache cannot see (raw JDBC, other
     * services, native SQL declaring nothing). Usable inside or outside a transaction; call it after
     * the write committed.
     */
    public void invalidate(Class<?> entityClass) {
        invalidate(EntityNames.of(entityClass));
    }

    /** {@link #invalidate(Class)} by entity name (normalized here). */
    public void invalidate(String entityName) {
        resolver.bumpEntities(Set.of(EntityNames.normalize(entityName)));
    }

    /** Invalidates one row: its cached lookups and every cached list or view that contains it. */
    public void invalidate(Class<?> entityClass, Object id) {
        resolver.bumpRow(RowRef.of(entityClass.getSimpleName(), id));
    }

    /**
     * This cache's dependency rules (the tags a lookup or list depends on, current fingerprints) and
     * its bumps. Writes Loom cannot see (raw JDBC, another service) are reported here once they
     * committed, as {@link io.loom.cache.invalidation.MutationEvent}s with
     * {@link DependencyResolver#bumpFromEvents}: they invalidate exactly what a Hibernate commit of
     * the same rows would. Every bump is delivered like a committed transaction's: attempted at once,
     * retried while the backend fails (this node reading from the database meanwhile), never thrown.
     */
    public DependencyResolver resolver() {
        return resolver;
    }

    /**
     * Activity of every entity together. A read that missed returns before its store is answered;
     * statistics first wait for the stores in flight, so they count every read that returned.
     */
    public CacheStats stats() {
        cache.awaitStores();
        return metrics.snapshot();
    }

    /**
     * Activity of one entity. Counters are kept under the normalized name, the entity class's
     * simple name in lower snake case ({@link EntityNames#normalize}: {@code BookAuthor} gives
     * {@code book_author}); {@code entity} may be that name or the class name, simple or qualified.
     * For a JPA entity name that differs from its class name use {@code LoomHibernate.stats}.
     */
    public CacheStats stats(String entity) {
        cache.awaitStores();
        return metrics.snapshot(EntityNames.normalize(entity));
    }

    /** Activity of one entity class; see {@link #stats(String)}. */
    public CacheStats stats(Class<?> entityClass) {
        cache.awaitStores();
        return metrics.snapshot(EntityNames.of(entityClass));
    }

    public CacheConfig config() {
        return config;
    }

    /**
     * Whether reads use the cache backend now: false while the circuit breaker is open after a
     * backend failure (reads then go to the database until a probe succeeds).
     */
    public boolean backendAvailable() {
        return guard.closed();
    }

    /** Committed transactions whose invalidations are not delivered yet (0 in normal operation). */
    public int pendingInvalidations() {
        return publisher.pendingCount();
    }

    /** The live activity counters, for a metrics binding (Micrometer). */
    public CacheActivity metrics() {
        return metrics;
    }

    @Override
    public void close() {
        cache.awaitStores();
        publisher.close();
        if (replay != null) {
            replay.close();
        }
        if (near != null) {
            near.close();
        }
        store.close();
        aliases.close();
    }

    /** Options beyond the configuration that only code can give. */
    public static final class Builder {
        private final CacheConfig config;
        private RedissonClient redisson;
        private Clock clock = Clock.systemUTC();
        private Duration circuitOpen = DEFAULT_CIRCUIT_OPEN;
        private Duration retryEvery = DEFAULT_RETRY_EVERY;

        private Builder(CacheConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /**
         * Uses this Redisson client for every Redis alias instead of connecting from the alias
         * settings (an application that already has one). The caller keeps ownership: closing the
         * cache does not shut the client down.
         */
        public Builder redissonClient(RedissonClient client) {
            this.redisson = Objects.requireNonNull(client, "client");
            return this;
        }

        /** Clock for creating counters in memory (tests). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How long reads bypass a failing backend before probing it again (default 2 s). */
        public Builder circuitOpenFor(Duration duration) {
            this.circuitOpen = positive("circuitOpenFor", duration);
            return this;
        }

        /** How often undelivered invalidations are retried (default 250 ms). */
        public Builder retryEvery(Duration duration) {
            this.retryEvery = positive("retryEvery", duration);
            return this;
        }

        public LoomCache build() {
            return new LoomCache(this);
        }

        private static Duration positive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
            return value;
        }
    }
}
