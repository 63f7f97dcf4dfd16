package io.loom.cache.hibernate.repository;

import io.loom.cache.repository.CursorParams;
import io.loom.cache.repository.CursorResult;
import io.loom.cache.repository.FilterParams;
import io.loom.cache.repository.ListResult;
import io.loom.cache.repository.PageParams;
import io.loom.cache.repository.PageResult;
import io.loom.cache.repository.QuerySpec;
import io.loom.cache.repository.ReadSnapshot;
import io.loom.cache.repository.ReadTracking;
import io.loom.cache.repository.Repository;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/*
 * The contract and the wiring; each job is a package-private class: QueryValidator (a query
 * checked before anything runs), CriteriaQueries (Criteria translation, keyset order),
 * KeysetCursors (cursor tokens), IdLookup (ids), ProfileLoader (profiles and their relations),
 * OutputMapping and RecordWriter (entities to records and back), RepositorySessions (which
 * EntityManager and transaction a call runs in).
 */
/**
 * A {@link Repository} over one JPA entity, built with {@link #builder}. Queries use the Criteria
 * API only; every field name is checked against the JPA metamodel and every value converted to the
 * attribute's type. Outputs are detached records mapped by component name (see the builder);
 * relations are loaded only by loading profiles and never lazily after a call returns.
 *
 * <p><b>Transactions.</b> Each write runs in its own EntityManager and transaction. Each read runs
 * in its own read-only EntityManager on one connection without a transaction, which saves the
 * COMMIT round trip: every statement sees what was committed when it started, just as inside a
 * READ COMMITTED transaction, and everything the output needs, profile relations included, is
 * loaded before the EntityManager closes. When a unit of work is bound with
 * {@link JpaTransactions#inTransaction(EntityManagerFactory, Function)} (or
 * {@link #inTransaction(Function)}) or {@link JpaTransactions#joining}, reads and writes join that
 * EntityManager and transaction, and writes are flushed at the end of the call.
 *
 * <p><b>Caching inside a unit of work.</b> A cache stores a value only if it was loaded from a
 * database snapshot that began after the cache read its generations and that holds no
 * uncommitted change. Reads outside a unit of work qualify. Reads inside one
 * ({@link JpaTransactions#current} returns an EntityManager: {@code inTransaction},
 * {@code joining}, or a framework's transaction bound through it) never do, whatever the isolation
 * level: REPEATABLE READ and SERIALIZABLE fix the snapshot at the transaction's first read, and the
 * persistence context returns rows loaded earlier. {@link #readSnapshot()} tells the cache which
 * case applies: in a unit of work without changes a cached value may be served and a load is
 * served but not stored (counted as {@code storesSkipped.callerTransaction}); in a unit of work
 * with uncommitted changes (flushed, buffered for invalidation, or pending in the persistence
 * context) every read is served by the unit itself (counted as {@code bypassed.uncommittedChanges}).
 *
 * <p><b>Text ids.</b> {@code getById} with a {@code String} id loads by query, so the row is
 * reported with its id as the database returned it: under a case-insensitive or pad-space
 * collation {@code getById("MIXED")} finds {@code mixed} and is invalidated by writes of {@code mixed}.
 *
 * <p><b>Read tracking.</b> {@link #tracked(Supplier)} reports every row in the persistence context
 * at the end of each repository call made by the read: the rows returned and the related rows a
 * profile loaded (in a joined unit of work also rows it loaded earlier: over-reporting is safe).
 * Entity names come from {@code EntityNames.normalize(hibernateEntityName)}, ids from
 * {@code EntityNames.canonicalId}.
 *
 * <p>Thread-safe once built.
 *
 * @param <E>  entity type
 * @param <O>  output record type
 * @param <C>  create record type
 * @param <U>  update record type
 * @param <ID> id type
 */
public final class JpaEntityRepository<E, O, C, U, ID> implements Repository<O, C, U, ID>, ReadTracking {

    /** Default cap on page sizes. */
    public static final int DEFAULT_MAX_LIMIT = 100;

    private final EntityManagerFactory emf;
    private final RepositorySessions sessions;
    private final Class<E> entityClass;
    private final Class<O> outputType;
    private final EntityModel model;
    private final IdLookup<E> ids;
    private final OutputMapping<E, O> outputs;
    private final RecordWriter createWriter;
    private final RecordWriter updateWriter;
    private final ProfileLoader<E> profiles;
    private final int maxLimit;
    private final KeysetCursors cursors;
    private final QueryValidator validator;
    private final CriteriaQueries<E> queries;
    private final Set<String> reachableEntities;

    private JpaEntityRepository(Builder<E, O, C, U, ID> b) {
        this.emf = b.emf;
        this.sessions = new RepositorySessions(emf);
        this.entityClass = b.entityClass;
        this.outputType = b.outputType;
        EntityModel.Registry registry = new EntityModel.Registry(emf);
        this.model = registry.of(entityClass);
        this.ids = new IdLookup<>(emf, entityClass, model, b.idType);
        this.outputs = OutputMapping.of(registry, entityClass, outputType, b.mapper);
        this.createWriter = new RecordWriter(model, b.createType);
        this.updateWriter = new RecordWriter(model, b.updateType);
        this.profiles = ProfileLoader.of(emf, entityClass, model, b.profilePaths, b.profileGraphs);
        this.maxLimit = b.maxLimit;
        this.cursors = new KeysetCursors(model, b.cursorSecret);
        this.validator = new QueryValidator(model, maxLimit, cursors);
        this.queries = new CriteriaQueries<>(entityClass, model);
        this.reachableEntities = ReachableEntities.from(emf.getMetamodel(), entityClass);
    }

    /**
     * Starts a repository definition.
     *
     * @param emf         the persistence unit
     * @param entityClass the entity
     * @param outputType  record returned by reads (or any type when a mapper is given)
     * @param createType  record of values for {@link #create}
     * @param updateType  record of partial changes for {@link #update}
     * @param idType      the entity's id type
     */
    public static <E, O, C, U, ID> Builder<E, O, C, U, ID> builder(EntityManagerFactory emf, Class<E> entityClass,
            Class<O> outputType, Class<C> createType, Class<U> updateType, Class<ID> idType) {
        return new Builder<>(emf, entityClass, outputType, createType, updateType, idType);
    }

    // ------------------------------------------------------------------ contract

    @Override
    public String entityName() {
        return model.entityName();
    }

    @Override
    public Class<O> outputType() {
        return outputType;
    }

    /** The declared profile names, {@value Repository#DEFAULT_PROFILE} included. */
    public Set<String> profiles() {
        return profiles.names();
    }

    /** The cap on page sizes. */
    public int maxLimit() {
        return maxLimit;
    }

    @Override
    public Optional<O> getById(ID id, String profile) {
        ids.requireId(id);
        LoadingProfile p = profiles.profile(profile);
        Object key = ids.key(id);
        return sessions.read(em -> {
            E entity = ids.find(em, key, p);
            if (entity == null) {
                return Optional.<O>empty();
            }
            p.ensureLoaded(List.of(entity));
            return Optional.<O>of(outputs.one(entity, p));
        });
    }

    @Override
    public Optional<O> getBy(String field, Object value, String profile) {
        LoadingProfile p = profiles.profile(profile);
        QuerySpec spec = validator.byField(field, value);
        return sessions.read(em -> {
            List<E> rows = queries.select(em, spec.filters(), List.of(), 0, 1, null);
            if (rows.isEmpty()) {
                return Optional.<O>empty();
            }
            profiles.load(em, p, rows);
            return Optional.<O>of(outputs.one(rows.get(0), p));
        });
    }

    @Override
    public boolean existsBy(String field, Object value) {
        QuerySpec spec = validator.byField(field, value);
        return sessions.read(em -> queries.exists(em, spec.filters()));
    }

    @Override
    public PageResult<O> listPaginated(PageParams page, FilterParams filters, String profile) {
        Objects.requireNonNull(page, "page");
        FilterParams f = filters == null ? FilterParams.none() : filters;
        return (PageResult<O>) listWithQuery(new QuerySpec(f.toFilters(), List.of(), page), profile);
    }

    @Override
    public ListResult<O> listWithQuery(QuerySpec spec, String profile) {
        Objects.requireNonNull(spec, "spec");
        LoadingProfile p = profiles.profile(profile);
        QuerySpec s = validator.normalize(spec);
        List<SortKey> keys = SortKey.of(model, s.sorts());
        if (s.pagination() instanceof PageParams page) {
            return sessions.read(em -> {
                long total = queries.count(em, s.filters());
                List<E> rows = page.offset() >= total ? List.of()
                        : queries.select(em, s.filters(), keys, page.offset(), page.limit(), null);
                profiles.load(em, p, rows);
                return new PageResult<>(outputs.all(rows, p), page.page(), page.limit(), total,
                        page.offset() + rows.size() < total);
            });
        }
        CursorParams cursor = (CursorParams) s.pagination();
        List<Object> after = cursor.after() == null ? null : cursors.decode(cursor.after(), s, keys);
        return sessions.read(em -> {
            List<E> rows = new ArrayList<>(queries.select(em, s.filters(), keys, 0, cursor.limit() + 1, after));
            boolean hasNext = rows.size() > cursor.limit();
            if (hasNext) {
                rows.remove(rows.size() - 1);
            }
            profiles.load(em, p, rows);
            String next = hasNext ? cursors.encode(s, keys, rows.get(rows.size() - 1)) : null;
            return new CursorResult<>(outputs.all(rows, p), next, hasNext);
        });
    }

    @Override
    public O create(C values) {
        Objects.requireNonNull(values, "values");
        return sessions.write(em -> {
            E entity = entityClass.cast(model.newInstance());
            createWriter.apply(em, values, entity);
            em.persist(entity);
            em.flush();
            return outputs.one(entity, profiles.defaultProfile());
        });
    }

    @Override
    public Optional<O> update(ID id, U changes) {
        ids.requireId(id);
        Objects.requireNonNull(changes, "changes");
        Object key = ids.key(id);
        return sessions.write(em -> {
            E entity = em.find(entityClass, key);
            if (entity == null) {
                return Optional.<O>empty();
            }
            updateWriter.apply(em, changes, entity);
            em.flush();
            return Optional.<O>of(outputs.one(entity, profiles.defaultProfile()));
        });
    }

    @Override
    public boolean delete(ID id) {
        Object key = ids.key(id);
        return sessions.write(em -> {
            E entity = em.find(entityClass, key);
            if (entity == null) {
                return false;
            }
            em.remove(entity);
            em.flush();
            return true;
        });
    }

    @Override
    public QuerySpec normalize(QuerySpec spec) {
        return validator.normalize(spec);
    }

    @Override
    public FilterParams normalize(FilterParams filters) {
        return validator.normalize(filters);
    }

    /**
     * Every entity reachable from this one through associations, itself included: what any
     * profile may load (eagerly fetched associations included). Computed once from the metamodel.
     */
    @Override
    public Set<String> entitiesRead(String profile) {
        return reachableEntities;
    }

    /**
     * {@link ReadSnapshot#FRESH} outside a unit of work; inside one (see {@link JpaTransactions#current}),
     * {@link ReadSnapshot#UNCOMMITTED_CHANGES} when it holds flushed or pending changes, else
     * {@link ReadSnapshot#CALLER_TRANSACTION}.
     */
    @Override
    public ReadSnapshot readSnapshot() {
        return UnitOfWork.snapshot(emf);
    }

    @Override
    public <R> Tracked<R> tracked(Supplier<R> read) {
        Objects.requireNonNull(read, "read");
        return ReadTracker.track(read);
    }

    /**
     * Runs {@code work} in one transaction that every repository call on this persistence unit
     * inside it joins; see {@link JpaTransactions#inTransaction}.
     */
    public <R> R inTransaction(Function<EntityManager, R> work) {
        return JpaTransactions.inTransaction(emf, work);
    }

    /**
     * Defines a {@link JpaEntityRepository}. Not thread-safe; {@link #build()} validates the whole
     * definition (output, create and update records against the entity, profile paths) and throws
     * {@link IllegalArgumentException} naming what does not fit.
     */
    public static final class Builder<E, O, C, U, ID> {
        private final EntityManagerFactory emf;
        private final Class<E> entityClass;
        private final Class<O> outputType;
        private final Class<C> createType;
        private final Class<U> updateType;
        private final Class<ID> idType;
        private final Map<String, List<String>> profilePaths = new LinkedHashMap<>();
        private final Map<String, String> profileGraphs = new LinkedHashMap<>();
        private BiFunction<? super E, String, ? extends O> mapper;
        private int maxLimit = DEFAULT_MAX_LIMIT;
        private byte[] cursorSecret;

        private Builder(EntityManagerFactory emf, Class<E> entityClass, Class<O> outputType, Class<C> createType,
                        Class<U> updateType, Class<ID> idType) {
            this.emf = Objects.requireNonNull(emf, "emf");
            this.entityClass = Objects.requireNonNull(entityClass, "entityClass");
            this.outputType = Objects.requireNonNull(outputType, "outputType");
            this.createType = Objects.requireNonNull(createType, "createType");
            this.updateType = Objects.requireNonNull(updateType, "updateType");
            this.idType = Objects.requireNonNull(idType, "idType");
        }

        /** A profile loading the given relation paths, e.g. {@code "books"}, {@code "books.publisher"}. */
        public Builder<E, O, C, U, ID> profile(String name, String... relationPaths) {
            checkName(name);
            profilePaths.put(name, List.of(relationPaths));
            return this;
        }

        /** A profile loading what the named entity graph (e.g. {@code @NamedEntityGraph}) declares. */
        public Builder<E, O, C, U, ID> profileFromGraph(String name, String entityGraphName) {
            checkName(name);
            profileGraphs.put(name, Objects.requireNonNull(entityGraphName, "entityGraphName"));
            return this;
        }

        /**
         * Replaces the automatic entity-to-record mapping. The function runs while the
         * EntityManager is open; it must touch only relations the profile in use loads.
         */
        public Builder<E, O, C, U, ID> mapper(Function<? super E, ? extends O> mapper) {
            Objects.requireNonNull(mapper, "mapper");
            this.mapper = (entity, profile) -> mapper.apply(entity);
            return this;
        }

        /**
         * Replaces the automatic mapping with a function that also receives the profile name, so
         * it can map exactly the relations that profile loads.
         */
        public Builder<E, O, C, U, ID> mapper(BiFunction<? super E, String, ? extends O> mapper) {
            this.mapper = Objects.requireNonNull(mapper, "mapper");
            return this;
        }

        /** Cap on page sizes (default {@value JpaEntityRepository#DEFAULT_MAX_LIMIT}). */
        public Builder<E, O, C, U, ID> maxLimit(int maxLimit) {
            if (maxLimit < 1) {
                throw new IllegalArgumentException("maxLimit must be >= 1, got " + maxLimit);
            }
            this.maxLimit = maxLimit;
            return this;
        }

        /**
         * Secret key for the cursor HMAC. Without one, cursors carry a checksum keyed by the entity
         * name: edits and foreign cursors are still rejected, but a determined client could forge one.
         * Give every node of an application the same secret.
         */
        public Builder<E, O, C, U, ID> cursorSecret(byte[] secret) {
            if (secret == null || secret.length < 16) {
                throw new IllegalArgumentException("cursor secret must have at least 16 bytes");
            }
            this.cursorSecret = secret.clone();
            return this;
        }

        public JpaEntityRepository<E, O, C, U, ID> build() {
            return new JpaEntityRepository<>(this);
        }

        private void checkName(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("profile name must not be blank");
            }
            if (name.equals(DEFAULT_PROFILE)) {
                throw new IllegalArgumentException("profile '" + DEFAULT_PROFILE + "' is predefined and loads no relations");
            }
        }
    }
}
