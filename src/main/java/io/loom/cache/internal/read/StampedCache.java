package io.loom.cache.internal.read;

import com.github.benmanes.caffeine.cache.Ticker;
import io.loom.cache.gateway.GenerationStore.EpochValue;
import io.loom.cache.gateway.GenerationStore.ReadResult;
import io.loom.cache.gateway.GenerationStore;
import io.loom.cache.internal.near.InvalidationLog;
import io.loom.cache.internal.near.NearCache;
import io.loom.cache.internal.near.NearEntry;
import io.loom.cache.invalidation.DependencyResolver;
import io.loom.cache.invalidation.Fingerprint;
import io.loom.cache.invalidation.GenerationalDependencyResolver;
import io.loom.cache.invalidation.Tags;
import io.loom.cache.repository.ReadSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/*
 * The cache-aside read, and why it can never store a stale load as fresh.
 *
 * Hit: one script call reads the entry and compares every generation it was stamped with to the
 * current ones (one round trip). A matching entry is current: any write committed since it was
 * stamped moved at least one of its tags.
 *
 * Miss: the same call returns the write epochs (w:<entity>) of every entity the load may read,
 * read BEFORE the load. After the load, one store call compares those epochs with their current
 * values and, in the same atomic step, stamps the entry with the current generations of the tags
 * the load turned out to depend on. Each committed transaction moves its entities' epochs in the
 * same atomic step as its tags, after its database commit. So for a transaction T touching a row
 * the load read:
 *   - T's bump before the epoch read: T's database commit came earlier still, so the load saw T.
 *   - T's bump between the epoch read and the store: the epoch moved, the store is refused.
 *   - T's bump after the store: it moves a tag the entry is stamped with, so the entry is stale.
 * In no order is a load that missed T accepted after T's bump. The same call also returns the
 * store's clock (since) when it can: a store is then also kept when every tag the entry is
 * stamped with exists and was last moved before since (a bump values the tags it moves at least
 * at its own clock reading, which comes after since for any T the load missed; T moves one of the
 * entry's tags), though an epoch moved for another row: docs/CONSISTENCY.md 1a. (A lookup by id
 * reading only its own row watches its own tags instead of the epochs, by the same argument: see
 * watchedFor.) A node that could not deliver its bump bypasses the cache (CacheGuard) until it has.
 *
 * Single flight: concurrent misses of one key share one load, but only misses that read the SAME
 * epoch values (the flight key is the entry key plus those values). Equal values mean no relevant
 * commit was bumped between the leader's epoch read and the waiter's. A commit whose commit()
 * returned before the waiter started was bumped before the waiter's epoch read, hence before the
 * leader's, hence committed in the database before the leader's load began: the shared value is
 * as fresh as the waiter's own load would be. (Joining on the entry key alone is not enough: a
 * waiter arriving just as the leader finishes would receive a value loaded before writes that
 * completed before the waiter started.)
 *
 * Snapshot rule: a value is stored only if it was loaded from a database snapshot that began after
 * its generations were read and holds no uncommitted change. The argument above assumes exactly
 * that (the load "saw T" because it started after T's commit). A lookup says what its load will
 * see (Lookup.snapshot): a load joining a caller's transaction may read an older snapshot or rows
 * its persistence context kept, so it is served but neither stored nor shared with other misses
 * (whose own loads would be fresher); a read of a unit of work with uncommitted changes does not
 * touch the cache at all. Every load not stored is counted under its SkipReason.
 *
 * Failures of the cache never reach the caller: they are counted, trip the guard, and the read is
 * served from the database.
 *
 * Near cache: a value read or stored is also kept in this process under the stamp its entry got.
 * A later read serves it when the stamp is still current: proven by one MGET of the stamp's
 * counters (the same comparison a Redis hit makes), or without a round trip when pushed
 * invalidations vouch for it (io.loom.cache.internal.near). A kept value whose stamp moved is
 * dropped and the read continues as above. Values are kept only once the store proved them
 * current, so the argument above carries over unchanged.
 */
/** Race-free cache-aside reads over a {@link GenerationStore}. Thread-safe. */
public final class StampedCache {

    private static final Logger LOG = LoggerFactory.getLogger(StampedCache.class);
    private static final byte[] ABSENT = new byte[0];
    /** Marks "the near cache could not serve this read" (a served value may be null). */
    private static final Object NOT_SERVED = new Object();
    /** Marks "the near cache held a stale value of this read and dropped it". */
    private static final Object DROPPED_STALE = new Object();
    private static final int MAX_REMEMBERED_EPOCH_SETS = 1_024;
    /** Stores in flight beyond which a miss waits for its own store again. */
    private static final int MAX_PENDING_STORES = 1_024;
    /** The longest a read waits for a store in flight before it reads without it. */
    private static final Duration STORE_WAIT = Duration.ofSeconds(30);

    private final GenerationStore store;
    /** Fingerprints outside the store's compound operations: kept values, epochs before a reload. */
    private final DependencyResolver resolver;
    private final CacheMetrics metrics;
    private final CacheGuard guard;
    private final long maxValueBytes;
    private final NearCache near;
    private final SingleFlight<FlightKey, Flight<?>> flights = new SingleFlight<>();
    /** Stores not yet answered, by entry key; each completes once its outcome is counted and kept. */
    private final Map<String, CompletableFuture<Void>> pendingStores = new ConcurrentHashMap<>();
    /** Write-epoch tags per watched-entity set: repositories pass the same few sets on every read. */
    private final Map<Set<String>, List<String>> epochTags = new ConcurrentHashMap<>();
    private final Ticker ticker;

    public StampedCache(GenerationStore store, CacheMetrics metrics, CacheGuard guard, long maxValueBytes) {
        this(store, metrics, guard, maxValueBytes, null);
    }

    /** @param near values kept in this process, or null for none */
    public StampedCache(GenerationStore store, CacheMetrics metrics, CacheGuard guard, long maxValueBytes,
                        NearCache near) {
        this(store, metrics, guard, maxValueBytes, near, Ticker.systemTicker());
    }

    /** @param ticker the clock load times are measured with (the near cache has its own) */
    public StampedCache(GenerationStore store, CacheMetrics metrics, CacheGuard guard, long maxValueBytes,
                        NearCache near, Ticker ticker) {
        this(store, new GenerationalDependencyResolver(store), metrics, guard, maxValueBytes, near, ticker);
    }

    /** @param resolver the resolver over {@code store}'s counters that fingerprints are asked of */
    public StampedCache(GenerationStore store, DependencyResolver resolver, CacheMetrics metrics, CacheGuard guard,
                        long maxValueBytes, NearCache near, Ticker ticker) {
        this.ticker = ticker;
        this.store = store;
        this.resolver = resolver;
        this.metrics = metrics;
        this.guard = guard;
        this.maxValueBytes = maxValueBytes;
        this.near = near;
    }

    private record Flight<V>(V value) {
    }

    /** Misses join one load only when they read the same entry under the same write epochs. */
    private record FlightKey(String entryKey, List<EpochValue> epochs) {
    }

    @SuppressWarnings("unchecked")
    public <V> V get(Lookup<V> lookup) {
        if (lookup.snapshot() == ReadSnapshot.UNCOMMITTED_CHANGES) {
            metrics.bypass(lookup.entity(), SkipReason.UNCOMMITTED_CHANGES);
            return load(lookup).value();
        }
        if (!guard.allowCache()) {
            metrics.bypass(lookup.entity(), guard.hasPendingInvalidations()
                    ? SkipReason.PENDING_INVALIDATIONS : SkipReason.CIRCUIT_OPEN);
            return load(lookup).value();
        }
        awaitStoreOf(lookup.entryKey());
        // While the circuit is open this read is its one probe: it must reach Redis (and close or
        // reopen the circuit), not be served by the near cache, which would leave the probe taken.
        if (near != null && guard.closed()) {
            NearEntry kept = near.get(lookup.entryKey());
            if (kept != null) {
                Object served = serveKept(lookup, kept);
                if (served == DROPPED_STALE) {
                    long since = near.sinceOwnBumps(kept);
                    if (since > 0 && lookup.snapshot() == ReadSnapshot.FRESH && !lookup.watchedEntities().isEmpty()) {
                        return missAfterOwnBump(lookup, since);
                    }
                } else if (served != NOT_SERVED) {
                    return (V) served;
                }
            }
        }
        List<String> epochTags = epochTagsOf(lookup.watchedEntities());
        long position = near == null ? 0 : near.position();
        ReadResult read;
        try {
            if (lookup.tagsComplete()) {
                // Also reads the lookup's own tags before the load: see watchedFor.
                List<String> asked = new ArrayList<>(epochTags.size() + lookup.tags().size());
                asked.addAll(epochTags);
                asked.addAll(lookup.tags());
                read = store.read(lookup.entryKey(), lookup.tags(), asked);
            } else {
                read = store.readKnowingSomeTags(lookup.entryKey(), lookup.tags(), epochTags);
            }
            guard.succeeded();
        } catch (RuntimeException e) {
            return fallback(lookup, e);
        }
        if (read.hit()) {
            try {
                V value = read.payload().length == 0 ? null : lookup.codec().decode(read.payload());
                metrics.hit(lookup.entity());
                keep(lookup, value, read.payload(), read.stamp(), position);
                return value;
            } catch (RuntimeException e) {
                LOG.warn("Loom Cache entry {} does not decode ({}); treated as a miss and replaced",
                        lookup.entryKey(), e.toString());
                List<EpochValue> epochs;
                try {
                    epochs = epochsFor(epochTags);
                } catch (RuntimeException failure) {
                    return fallback(lookup, failure);
                }
                return miss(lookup, epochs, 0, true);
            }
        }
        if (read.status() == GenerationStore.Status.FOREIGN) {
            LOG.warn("Loom Cache key {} holds bytes that are not a Loom entry; treated as a miss and replaced",
                    lookup.entryKey());
        }
        return miss(lookup, watchedFor(lookup, read.epochs(), epochTags.size()), read.since(),
                read.status() == GenerationStore.Status.STALE);
    }

    /**
     * Serves a value kept in the near cache when its stamp is still current; drops it otherwise.
     * A failed validation falls back to the database like any cache failure.
     */
    private Object serveKept(Lookup<?> lookup, NearEntry kept) {
        InvalidationLog.Verdict verdict = near.verdict(kept);
        if (verdict == InvalidationLog.Verdict.STALE) {
            near.drop(lookup.entryKey(), kept);
            return DROPPED_STALE;
        }
        if (verdict == InvalidationLog.Verdict.UNKNOWN) {
            long position = near.position();
            boolean current;
            try {
                current = resolver.isCurrent(kept.stamp());
                guard.succeeded();
            } catch (RuntimeException e) {
                return fallback(lookup, e);
            }
            if (!current) {
                near.drop(lookup.entryKey(), kept);
                return NOT_SERVED;
            }
            near.confirm(lookup.entryKey(), kept, position);
        }
        Object value;
        try {
            value = kept.payload() == null ? kept.value()
                    : kept.payload().length == 0 ? null : lookup.codec().decode(kept.payload());
        } catch (RuntimeException e) {
            near.drop(lookup.entryKey(), kept);
            return NOT_SERVED;
        }
        metrics.nearHit(lookup.entity());
        return value;
    }

    /** Keeps a value read or stored under {@code stamp} in the near cache (shared or as bytes). */
    private <V> void keep(Lookup<V> lookup, V value, byte[] payload, Fingerprint stamp, long position) {
        if (near == null || stamp == null) {
            return;
        }
        boolean shared = value == null || lookup.codec().sharesValues();
        near.keep(lookup.entryKey(), shared ? value : null, shared ? null : payload, stamp, position,
                value == null ? lookup.absentTtl() : lookup.ttl());
    }

    /*
     * What a load must not race with. Usually the write epochs of every entity it may read: any
     * committed write to them refuses the store. A lookup whose tags are complete (a lookup by id
     * reading its own row only) depends on nothing but those tags, and every write that can change
     * its result moves one of them (the row's update, insert or delete moves its row tag; bulk
     * writes and explicit invalidation the entity tag). When all of them existed before the load,
     * watching them instead of the entity's epoch gives the same guarantee (a bump between this
     * read and the store moves a watched value, so the store is refused) without refusing the
     * load because another row of the entity was written meanwhile. A tag without a counter
     * cannot be watched this way (bumping an absent tag creates nothing): then the epochs are.
     */
    private static List<EpochValue> watchedFor(Lookup<?> lookup, List<EpochValue> read, int epochCount) {
        if (!lookup.tagsComplete()) {
            return read;
        }
        List<EpochValue> own = read.subList(epochCount, read.size());
        for (EpochValue value : own) {
            if (value.value().isEmpty()) {
                return read.subList(0, epochCount);
            }
        }
        return own;
    }

    /** Whether {@code watched} are the lookup's own tags rather than write epochs. */
    private static boolean watchesOwnTags(List<EpochValue> watched) {
        return !watched.isEmpty() && !Tags.isWriteEpoch(watched.get(0).tag());
    }

    private List<String> epochTagsOf(Set<String> watched) {
        List<String> tags = epochTags.get(watched);
        if (tags == null) {
            tags = watched.stream().map(Tags::writeEpoch).toList();
            if (epochTags.size() < MAX_REMEMBERED_EPOCH_SETS) {
                epochTags.put(Set.copyOf(watched), tags);
            }
        }
        return tags;
    }

    private List<EpochValue> epochsFor(List<String> epochTags) {
        // A hit returns no epochs; an undecodable hit needs them before its load.
        List<String> values = resolver.fingerprint(epochTags).generations();
        List<EpochValue> epochs = new ArrayList<>(epochTags.size());
        for (int i = 0; i < epochTags.size(); i++) {
            epochs.add(new EpochValue(epochTags.get(i), values.get(i) == null ? "" : values.get(i)));
        }
        return epochs;
    }

    /*
     * A kept value this node's own commit made stale (NearCache.sinceOwnBumps): the entry in Redis
     * is stale too, so reading it and the epochs before the load would be a round trip for nothing.
     * The load is stored with the clock of that commit's bump as its since instead, by the precise
     * proof alone (every epoch is sent as unread, which never matches): that clock was read in Redis
     * after the bump and before this load began, and every bump Redis runs later sets the tags it
     * moves to at least that clock, so a commit the load may have missed refuses the store (its bump
     * comes after its database commit, after the load began). Not shared with other misses: one
     * that began later than this one must not receive a value loaded before it.
     */
    private <V> V missAfterOwnBump(Lookup<V> lookup, long since) {
        metrics.miss(lookup.entity(), true);
        List<String> epochTags = epochTagsOf(lookup.watchedEntities());
        List<EpochValue> unread = new ArrayList<>(epochTags.size());
        for (String tag : epochTags) {
            unread.add(new EpochValue(tag, ""));
        }
        return loadAndStore(lookup, unread, since).value();
    }

    @SuppressWarnings("unchecked")
    private <V> V miss(Lookup<V> lookup, List<EpochValue> epochs, long since, boolean stale) {
        metrics.miss(lookup.entity(), stale);
        if (lookup.snapshot() != ReadSnapshot.FRESH) {
            // Not shared with concurrent misses either: its snapshot may be older than theirs.
            V value = load(lookup).value();
            metrics.skipped(lookup.entity(), SkipReason.CALLER_TRANSACTION);
            return value;
        }
        SingleFlight.Outcome<Flight<?>> outcome = flights.run(new FlightKey(lookup.entryKey(), List.copyOf(epochs)),
                () -> loadAndStore(lookup, epochs, since));
        return ((Flight<V>) outcome.value()).value();
    }

    private <V> Flight<V> loadAndStore(Lookup<V> lookup, List<EpochValue> epochs, long since) {
        Lookup.Loaded<V> loaded = load(lookup);
        SkipReason skip = skipReason(lookup, loaded, epochs);
        if (skip != null) {
            metrics.skipped(lookup.entity(), skip);
            return new Flight<>(loaded.value());
        }
        boolean absent = loaded.value() == null;
        byte[] payload = absent ? ABSENT : lookup.codec().encode(loaded.value());
        if (payload.length > maxValueBytes) {
            metrics.oversize(lookup.entity());
            return new Flight<>(loaded.value());
        }
        Set<String> tags = new LinkedHashSet<>(lookup.tags());
        tags.addAll(loaded.tags());
        long position = near == null ? 0 : near.position();
        CompletionStage<Fingerprint> stored;
        try {
            stored = store.stampAsync(lookup.entryKey(), payload, tags, epochs, since,
                    absent ? lookup.absentTtl() : lookup.ttl(), lookup.tagsComplete());
        } catch (RuntimeException e) {
            stored = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> answered = new CompletableFuture<>();
        pendingStores.put(lookup.entryKey(), answered);
        stored.whenComplete((stamp, failure) -> {
            try {
                settle(lookup, loaded.value(), payload, position, stamp, failure);
            } finally {
                pendingStores.remove(lookup.entryKey(), answered);
                answered.complete(null);
            }
        });
        if (pendingStores.size() > MAX_PENDING_STORES) {
            awaitQuietly(answered); // Redis falls behind: stores wait again rather than pile up
        }
        return new Flight<>(loaded.value());
    }

    /** Counts a store's outcome and keeps a stored value in the near cache. */
    private <V> void settle(Lookup<V> lookup, V value, byte[] payload, long position, Fingerprint stamp,
                            Throwable failure) {
        if (failure != null) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            guard.failed(cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause));
            metrics.fallback(lookup.entity());
            metrics.skipped(lookup.entity(), SkipReason.STORE_FAILED);
            return;
        }
        guard.succeeded();
        if (stamp != null) {
            metrics.stored(lookup.entity());
            keep(lookup, value, payload, stamp, position);
        } else {
            metrics.raced(lookup.entity());
        }
    }

    /**
     * Waits until every store begun before this call was answered and counted (for statistics that
     * count the stores of reads that already returned).
     */
    public void awaitStores() {
        for (CompletableFuture<Void> pending : List.copyOf(pendingStores.values())) {
            awaitQuietly(pending);
        }
    }

    /** Waits for the store of {@code entryKey} in flight, if any: a read right after a miss then finds its value. */
    private void awaitStoreOf(String entryKey) {
        if (pendingStores.isEmpty()) {
            return;
        }
        CompletableFuture<Void> pending = pendingStores.get(entryKey);
        if (pending != null) {
            awaitQuietly(pending);
        }
    }

    /** The store's own callback records its outcome; its caller only waits for it. */
    private static void awaitQuietly(CompletableFuture<Void> answered) {
        try {
            answered.get(STORE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // answered never fails; a store slower than STORE_WAIT is left to finish on its own
        }
    }

    /** Why a fresh load must not be stored, or null when it may be (its size aside). */
    private static SkipReason skipReason(Lookup<?> lookup, Lookup.Loaded<?> loaded, List<EpochValue> epochs) {
        if (!loaded.cacheable() || (loaded.value() == null && lookup.absentTtl() == null)) {
            return SkipReason.NOT_CACHEABLE;
        }
        if (!lookup.watchedEntities().containsAll(loaded.entitiesRead())) {
            return SkipReason.UNWATCHED_ENTITY;
        }
        if (watchesOwnTags(epochs) && !lookup.tags().containsAll(loaded.tags())) {
            // Only the lookup's own tags were watched, but the load read more.
            return SkipReason.UNEXPECTED_TAGS;
        }
        return null;
    }

    private <V> Lookup.Loaded<V> load(Lookup<V> lookup) {
        long start = ticker.read();
        Lookup.Loaded<V> loaded = lookup.loader().get();
        metrics.load(lookup.entity(), ticker.read() - start);
        return loaded;
    }

    private <V> V fallback(Lookup<V> lookup, RuntimeException error) {
        guard.failed(error);
        metrics.fallback(lookup.entity());
        return load(lookup).value();
    }
}
