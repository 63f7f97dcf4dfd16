package io.loom.cache;

import io.loom.cache.config.CacheConfig;
import io.loom.cache.internal.codec.EntryCodec;
import io.loom.cache.internal.codec.MsgpackCodec;
import io.loom.cache.internal.codec.SchemaVersion;
import io.loom.cache.internal.read.Lookup;
import io.loom.cache.internal.read.ReadDependencies;
import io.loom.cache.internal.read.StampedCache;
import io.loom.cache.invalidation.DependencyResolver;
import io.loom.cache.invalidation.EntityNames;
import io.loom.cache.invalidation.ListScope;
import io.loom.cache.invalidation.TagValues;
import io.loom.cache.invalidation.Tags;
import io.loom.cache.repository.CursorParams;
import io.loom.cache.repository.CursorResult;
import io.loom.cache.repository.FilterParams;
import io.loom.cache.repository.ForwardingRepository;
import io.loom.cache.repository.InvalidIdException;
import io.loom.cache.repository.ListResult;
import io.loom.cache.repository.PageParams;
import io.loom.cache.repository.PageResult;
import io.loom.cache.repository.QuerySpec;
import io.loom.cache.repository.ReadSnapshot;
import io.loom.cache.repository.ReadTracking;
import io.loom.cache.repository.Repository;
import io.loom.cache.serialization.MsgpackSerializer;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/*
 * Keys: <entity>:<kind>:<digest>, the digest covering the output schema version, the profile and
 * the id or the canonical query, so hostile ids and values can neither collide nor address another
 * key, and a deploy that changes the output shape reads other keys.
 *
 * Tags: a lookup by id depends on e:<entity> and its row tag (which the insert of that id also
 * moves, so a cached "not found" ends when the row appears); a list depends on the tags
 * Tags#ofList gives for its filters and sort (QuerySpec#scope). After the load, every
 * row and collection the delegate reports through ReadTracking is added: the rows a list holds,
 * the related rows a profile fetched, and the e: tag of every entity read (so a bulk write of a
 * related entity reaches the views holding its rows). Without ReadTracking only the delegate's own entity is known,
 * and the entry depends on e:<entity>, l:<entity> and u:<entity>: any write of the entity.
 *
 * Snapshot: before each read the delegate says what its load would see (ReadTracking#readSnapshot).
 * Only a load on a snapshot of its own is stored; a load joining a caller's transaction is served
 * and not stored, and a read in a unit of work with uncommitted changes skips the cache (see
 * StampedCache and docs/CONSISTENCY.md, section 8a).
 */
/**
 * Cache-aside decorator over any {@link Repository}: {@code getById} and both list methods are
 * served from the cache while no committed write has touched what they read; everything else
 * passes through. Writes delegate; their invalidation happens when their transaction commits.
 *
 * <p>Thread-safe when the delegate is. Obtain one from {@link LoomCache#wrap}.
 */
public final class CachedRepository<OutputT, CreateT, UpdateT, IdT>
        extends ForwardingRepository<OutputT, CreateT, UpdateT, IdT> {

    private final ReadTracking tracking;
    private final StampedCache cache;
    private final DependencyResolver resolver;
    private final CacheConfig config;
    private final String entity;
    private final String schema;
    private final Duration ttlSingle;
    private final Duration ttlList;
    private final EntryCodec<OutputT> itemCodec;
    private final EntryCodec<PageResult<OutputT>> pageCodec;
    private final EntryCodec<CursorResult<OutputT>> cursorCodec;
    private final Map<String, Set<String>> watchedByProfile = new java.util.concurrent.ConcurrentHashMap<>();
    /** Per profile: whether every getById load so far depended on the id's two tags only. */
    private final Map<String, Boolean> idTagsComplete = new java.util.concurrent.ConcurrentHashMap<>();

    CachedRepository(Repository<OutputT, CreateT, UpdateT, IdT> delegate, StampedCache cache,
                            DependencyResolver resolver, CacheConfig config, MsgpackSerializer serializer) {
        super(delegate);
        this.tracking = delegate instanceof ReadTracking t ? t : null;
        this.cache = cache;
        this.resolver = resolver;
        this.config = config;
        this.entity = delegate.entityName();
        this.schema = SchemaVersion.of(delegate.outputType());
        this.ttlSingle = config.ttlForSingle(entity);
        this.ttlList = config.ttlForList(entity);
        this.itemCodec = MsgpackCodec.of(serializer, delegate.outputType());
        this.pageCodec = MsgpackCodec.generic(serializer, PageResult.class, delegate.outputType());
        this.cursorCodec = MsgpackCodec.generic(serializer, CursorResult.class, delegate.outputType());
    }

    @Override
    public String entityName() {
        return entity;
    }

    @Override
    public Optional<OutputT> getById(IdT id, String profile) {
        if (id == null) {
            throw InvalidIdException.nullId(entity);
        }
        String canonicalId = EntityNames.canonicalId(id);
        String key = key("id", profile + "|" + canonicalId);
        Set<String> tags = resolver.entityTags(entity, canonicalId);
        Duration ttl = ttlSingle;
        // A cached "not found" lives for the negative TTL; the insert of this id moves its row tag.
        // While every load of this profile has depended on exactly these two tags (no related rows
        // or collections), the store may validate a hit without a script.
        boolean tagsComplete = Boolean.TRUE.equals(idTagsComplete.get(profile));
        ReadSnapshot snapshot = snapshot();
        return Optional.ofNullable(cache.get(new Lookup<>(entity, key, watched(profile), tags, ttl,
                config.negativeTtl(), itemCodec, () -> {
                    Lookup.Loaded<OutputT> loaded = notFoundByText(id,
                            load(() -> delegate().getById(id, profile).orElse(null)));
                    if (snapshot == ReadSnapshot.FRESH) {
                        // A load in a caller's unit reports its whole persistence context.
                        boolean complete = tracking != null && tags.containsAll(loaded.tags());
                        idTagsComplete.merge(profile, complete, Boolean::logicalAnd);
                    }
                    return loaded;
                }, tagsComplete, snapshot)));
    }

    /*
     * A text id may match a row spelled differently (case-insensitive or pad-space collations):
     * a found row is stamped with its own id as the database returned it (the repository reports
     * it), but a "not found" knows no row to watch, and the insert of "mixed" does not move the
     * row tag of "MIXED". So a text id's "not found" also depends on the entity's membership tag.
     */
    private Lookup.Loaded<OutputT> notFoundByText(IdT id, Lookup.Loaded<OutputT> loaded) {
        if (loaded.value() != null || !(id instanceof CharSequence)) {
            return loaded;
        }
        Set<String> tags = new LinkedHashSet<>(loaded.tags());
        tags.add(Tags.membership(entity));
        return new Lookup.Loaded<>(null, tags, loaded.entitiesRead(), loaded.cacheable());
    }

    @Override
    public PageResult<OutputT> listPaginated(PageParams page, FilterParams filters, String profile) {
        FilterParams normalized = delegate().normalize(filters);
        Map<String, Set<Object>> equalities = new HashMap<>();
        normalized.equalities().forEach((field, value) -> equalities.put(field, singleton(value)));
        ListScope scope = new ListScope(equalities, Set.of(), false);
        String key = key("page", profile + "|" + page.canonical() + "|" + normalized.canonical());
        return cache.get(new Lookup<>(entity, key, watched(profile), resolver.listTags(entity, scope),
                ttlList, null, pageCodec,
                () -> load(() -> delegate().listPaginated(page, normalized, profile)), false, snapshot()));
    }

    @Override
    @SuppressWarnings("unchecked")
    public ListResult<OutputT> listWithQuery(QuerySpec spec, String profile) {
        QuerySpec normalized = delegate().normalize(spec);
        String key = key("query", profile + "|" + normalized.canonical());
        Set<String> tags = resolver.listTags(entity, normalized.scope());
        EntryCodec<? extends ListResult<OutputT>> codec =
                normalized.pagination() instanceof CursorParams ? cursorCodec : pageCodec;
        return cache.get(new Lookup<>(entity, key, watched(profile), tags, ttlList, null,
                (EntryCodec<ListResult<OutputT>>) codec,
                () -> load(() -> delegate().listWithQuery(normalized, profile)), false, snapshot()));
    }

    /** What a delegate read made now would see: stored only when {@link ReadSnapshot#FRESH}. */
    private ReadSnapshot snapshot() {
        return tracking == null ? ReadSnapshot.FRESH : tracking.readSnapshot();
    }

    /** Runs a delegate read and collects the tags of what it loaded. */
    private <V> Lookup.Loaded<V> load(Supplier<V> read) {
        if (tracking == null) {
            return ReadDependencies.untracked(read.get(), entity);
        }
        ReadTracking.Tracked<V> tracked = tracking.tracked(read);
        return ReadDependencies.tracked(tracked.value(), tracked, entity);
    }

    private Set<String> watched(String profile) {
        return watchedByProfile.computeIfAbsent(profile,
                p -> tracking == null ? Set.of(entity) : withOwn(tracking.entitiesRead(p)));
    }

    private Set<String> withOwn(Collection<String> entities) {
        Set<String> all = new LinkedHashSet<>(entities);
        all.add(entity);
        return Set.copyOf(all);
    }

    private String key(String kind, String canonical) {
        return entity + ":" + kind + ":" + TagValues.hash(schema + "|" + canonical);
    }

    private static Set<Object> singleton(Object value) {
        Set<Object> values = new LinkedHashSet<>();
        values.add(value);
        return values;
    }
}
