package io.loom.cache.hibernate.repository;

import io.loom.cache.repository.CursorParams;
import io.loom.cache.repository.CursorResult;
import io.loom.cache.repository.Direction;
import io.loom.cache.repository.Filter;
import io.loom.cache.repository.FilterOp;
import io.loom.cache.repository.FilterParams;
import io.loom.cache.repository.InvalidCursorException;
import io.loom.cache.repository.InvalidIdException;
import io.loom.cache.repository.InvalidPageException;
import io.loom.cache.repository.InvalidQueryException;
import io.loom.cache.repository.ListResult;
import io.loom.cache.repository.PageParams;
import io.loom.cache.repository.PageResult;
import io.loom.cache.repository.Pagination;
import io.loom.cache.repository.QuerySpec;
import io.loom.cache.repository.ReadSnapshot;
import io.loom.cache.repository.ReadTracking;
import io.loom.cache.repository.Repository;
import io.loom.cache.repository.Sort;
import io.loom.cache.repository.UnknownProfileException;
import jakarta.persistence.EntityGraph;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.TypedQuery;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.Expression;
import jakarta.persistence.criteria.Nulls;
import jakarta.persistence.criteria.Order;
import jakarta.persistence.criteria.Path;
import jakarta.persistence.criteria.Predicate;
import jakarta.persistence.criteria.Root;
import org.hibernate.ConnectionAcquisitionMode;
import org.hibernate.ConnectionReleaseMode;
import org.hibernate.Session;
import org.hibernate.SessionFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

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
    private final SessionFactory sessions;
    private final Class<E> entityClass;
    private final Class<O> outputType;
    private final EntityModel model;
    private final BiFunction<? super E, LoadingProfile, ? extends O> mapper;
    private final RecordWriter createWriter;
    private final RecordWriter updateWriter;
    private final Map<String, LoadingProfile> profiles;
    private final int maxLimit;
    private final CursorCodec cursors;
    private final java.util.Set<String> reachableEntities;
    /** Whether ids are text, which a collation may match in another spelling. */
    private final boolean textId;
    /** The lookup of a text id by query (see findByQuery). */
    private final String byIdQuery;

    private JpaEntityRepository(Builder<E, O, C, U, ID> b) {
        this.emf = b.emf;
        this.sessions = emf.unwrap(SessionFactory.class);
        this.entityClass = b.entityClass;
        this.outputType = b.outputType;
        EntityModel.Registry registry = new EntityModel.Registry(emf);
        this.model = registry.of(entityClass);
        if (ValueConverter.box(b.idType) != model.id().valueType()) {
            throw new IllegalArgumentException("id type " + b.idType.getName() + " does not match the id of "
                    + entityClass.getSimpleName() + " (" + model.id().valueType().getName() + ")");
        }
        if (b.mapper != null) {
            BiFunction<? super E, String, ? extends O> custom = b.mapper;
            this.mapper = (entity, profile) -> custom.apply(entity, profile.name());
        } else {
            RecordMapper recordMapper = new RecordMapper(registry);
            recordMapper.validate(entityClass, outputType);
            this.mapper = (entity, profile) -> recordMapper.map(entity, outputType, profile);
        }
        this.createWriter = new RecordWriter(model, b.createType);
        this.updateWriter = new RecordWriter(model, b.updateType);
        Map<String, LoadingProfile> p = new LinkedHashMap<>();
        p.put(DEFAULT_PROFILE, LoadingProfile.of(DEFAULT_PROFILE, model, List.of()));
        b.profilePaths.forEach((name, paths) -> p.put(name, LoadingProfile.of(name, model, paths)));
        if (!b.profileGraphs.isEmpty()) {
            EntityManager em = emf.createEntityManager();
            try {
                b.profileGraphs.forEach((name, graphName) ->
                        p.put(name, LoadingProfile.of(name, model, LoadingProfile.pathsOf(em.getEntityGraph(graphName)))));
            } finally {
                em.close();
            }
        }
        this.profiles = Map.copyOf(p);
        this.maxLimit = b.maxLimit;
        this.cursors = new CursorCodec(model.entityName(), b.cursorSecret);
        this.reachableEntities = ReachableEntities.from(emf.getMetamodel(), entityClass);
        this.textId = model.id().valueType() == String.class;
        this.byIdQuery = "select e from " + emf.getMetamodel().entity(entityClass).getName() + " e where e."
                + model.id().name() + " = :id";
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
    public java.util.Set<String> profiles() {
        return profiles.keySet();
    }

    /** The cap on page sizes. */
    public int maxLimit() {
        return maxLimit;
    }

    @Override
    public Optional<O> getById(ID id, String profile) {
        requireId(id);
        LoadingProfile p = profile(profile);
        Object key = convertId(id);
        return run(false, em -> {
            E entity = textId ? findByQuery(em, key, p) : find(em, key, p);
            if (entity == null) {
                return Optional.<O>empty();
            }
            p.ensureLoaded(List.of(entity));
            return Optional.<O>of(mapper.apply(entity, p));
        });
    }

    private E find(EntityManager em, Object key, LoadingProfile p) {
        EntityGraph<E> graph = p.graph(em, entityClass);
        return graph == null ? em.find(entityClass, key)
                : em.find(entityClass, key, Map.of("jakarta.persistence.fetchgraph", graph));
    }

    /*
     * em.find keys the loaded entity by the id as the caller spelled it, but a case-insensitive or
     * pad-space collation (MySQL and MariaDB defaults) finds row "mixed" for "MIXED" or "mixed ".
     * A query keys it by the id the row returned, so the read reports (and a cache stamps) the row
     * that a write of "mixed" invalidates.
     */
    private E findByQuery(EntityManager em, Object key, LoadingProfile p) {
        // A query string, not Criteria: Hibernate caches its plan.
        TypedQuery<E> query = em.createQuery(byIdQuery, entityClass).setParameter("id", key).setMaxResults(1);
        EntityGraph<E> graph = p.graph(em, entityClass);
        if (graph != null) {
            query.setHint("jakarta.persistence.fetchgraph", graph);
        }
        List<E> rows = query.getResultList();
        return rows.isEmpty() ? null : rows.get(0);
    }

    @Override
    public Optional<O> getBy(String field, Object value, String profile) {
        LoadingProfile p = profile(profile);
        QuerySpec spec = normalize(new QuerySpec(List.of(equality(field, value)), List.of(), new PageParams(1, 1)));
        return run(false, em -> {
            List<E> rows = select(em, spec.filters(), List.of(), 0, 1, null);
            if (rows.isEmpty()) {
                return Optional.<O>empty();
            }
            load(em, p, rows);
            return Optional.<O>of(mapper.apply(rows.get(0), p));
        });
    }

    @Override
    public boolean existsBy(String field, Object value) {
        QuerySpec spec = normalize(new QuerySpec(List.of(equality(field, value)), List.of(), new PageParams(1, 1)));
        return run(false, em -> {
            CriteriaBuilder cb = em.getCriteriaBuilder();
            CriteriaQuery<Object> q = cb.createQuery(Object.class);
            Root<E> root = q.from(entityClass);
            q.select(root.get(model.id().name())).where(predicates(cb, root, spec.filters()));
            return !em.createQuery(q).setMaxResults(1).getResultList().isEmpty();
        });
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
        LoadingProfile p = profile(profile);
        QuerySpec s = normalize(spec);
        List<Key> keys = keys(s.sorts());
        if (s.pagination() instanceof PageParams page) {
            return run(false, em -> {
                long total = count(em, s.filters());
                List<E> rows = page.offset() >= total ? List.of()
                        : select(em, s.filters(), keys, page.offset(), page.limit(), null);
                load(em, p, rows);
                return new PageResult<>(map(rows, p), page.page(), page.limit(), total,
                        page.offset() + rows.size() < total);
            });
        }
        CursorParams cursor = (CursorParams) s.pagination();
        List<Object> after = cursor.after() == null ? null : decodeCursor(cursor.after(), s, keys);
        return run(false, em -> {
            List<E> rows = new ArrayList<>(select(em, s.filters(), keys, 0, cursor.limit() + 1, after));
            boolean hasNext = rows.size() > cursor.limit();
            if (hasNext) {
                rows.remove(rows.size() - 1);
            }
            load(em, p, rows);
            String next = hasNext ? encodeCursor(s, keys, rows.get(rows.size() - 1)) : null;
            return new CursorResult<>(map(rows, p), next, hasNext);
        });
    }

    @Override
    public O create(C values) {
        Objects.requireNonNull(values, "values");
        return run(true, em -> {
            E entity = instantiate();
            createWriter.apply(em, values, entity);
            em.persist(entity);
            em.flush();
            return mapper.apply(entity, defaultProfile());
        });
    }

    @Override
    public Optional<O> update(ID id, U changes) {
        requireId(id);
        Objects.requireNonNull(changes, "changes");
        Object key = convertId(id);
        return run(true, em -> {
            E entity = em.find(entityClass, key);
            if (entity == null) {
                return Optional.<O>empty();
            }
            updateWriter.apply(em, changes, entity);
            em.flush();
            return Optional.<O>of(mapper.apply(entity, defaultProfile()));
        });
    }

    @Override
    public boolean delete(ID id) {
        requireId(id);
        Object key = convertId(id);
        return run(true, em -> {
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
        Objects.requireNonNull(spec, "spec");
        List<Filter> filters = new ArrayList<>(spec.filters().size());
        for (Filter f : spec.filters()) {
            filters.add(normalize(f));
        }
        for (Sort s : spec.sorts()) {
            model.sortable(s.field());
        }
        Pagination pagination = spec.pagination();
        if (pagination.limit() > maxLimit) {
            throw InvalidPageException.limitOverCap(pagination.limit(), maxLimit);
        }
        QuerySpec normalized = new QuerySpec(filters, spec.sorts(), pagination);
        if (pagination instanceof CursorParams c && c.after() != null) {
            decodeCursor(c.after(), normalized, keys(normalized.sorts()));
        }
        return normalized;
    }

    @Override
    public FilterParams normalize(FilterParams filters) {
        Objects.requireNonNull(filters, "filters");
        Map<String, Object> converted = new java.util.HashMap<>();
        filters.equalities().forEach((field, value) -> converted.put(field, model.convert(model.filterable(field), value)));
        return new FilterParams(converted);
    }

    /**
     * Every entity reachable from this one through associations, itself included: what any
     * profile may load (eagerly fetched associations included). Computed once from the metamodel.
     */
    @Override
    public java.util.Set<String> entitiesRead(String profile) {
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

    // ------------------------------------------------------------------ queries

    /** One element of the total order: a sort key or the trailing id. */
    private record Key(EntityModel.Property property, Direction direction) {
    }

    private List<Key> keys(List<Sort> sorts) {
        List<Key> keys = new ArrayList<>(sorts.size() + 1);
        boolean hasId = false;
        for (Sort s : sorts) {
            EntityModel.Property p = model.sortable(s.field());
            hasId |= p.kind() == EntityModel.Kind.ID;
            keys.add(new Key(p, s.direction()));
        }
        if (!hasId) {
            keys.add(new Key(model.id(), Direction.ASC));
        }
        return keys;
    }

    private List<E> select(EntityManager em, List<Filter> filters, List<Key> keys, long offset, int limit,
                           List<Object> after) {
        CriteriaBuilder cb = em.getCriteriaBuilder();
        CriteriaQuery<E> q = cb.createQuery(entityClass);
        Root<E> root = q.from(entityClass);
        List<Predicate> where = new ArrayList<>(List.of(predicates(cb, root, filters)));
        if (after != null) {
            where.add(keysetAfter(cb, root, keys, after));
        }
        List<Order> orders = new ArrayList<>();
        List<Key> effective = keys.isEmpty() ? List.of(new Key(model.id(), Direction.ASC)) : keys;
        for (Key k : effective) {
            orders.add(order(cb, k.property().path(root), k));
        }
        q.select(root).where(where.toArray(Predicate[]::new)).orderBy(orders);
        TypedQuery<E> query = em.createQuery(q).setFirstResult(Math.toIntExact(offset)).setMaxResults(limit);
        return query.getResultList();
    }

    /**
     * Nulls count as the smallest value: first ascending, last descending. A key that cannot be
     * null gets no null precedence, so an index on it can serve the order (PostgreSQL uses an
     * index for {@code ORDER BY a ASC NULLS FIRST} only when the index itself is declared so).
     */
    private static Order order(CriteriaBuilder cb, Path<?> path, Key k) {
        boolean asc = k.direction() == Direction.ASC;
        if (!k.property().nullable()) {
            return asc ? cb.asc(path) : cb.desc(path);
        }
        return asc ? cb.asc(path, Nulls.FIRST) : cb.desc(path, Nulls.LAST);
    }

    private long count(EntityManager em, List<Filter> filters) {
        CriteriaBuilder cb = em.getCriteriaBuilder();
        CriteriaQuery<Long> q = cb.createQuery(Long.class);
        Root<E> root = q.from(entityClass);
        q.select(cb.count(root)).where(predicates(cb, root, filters));
        return em.createQuery(q).getSingleResult();
    }

    /** Loads the profile's relations for {@code rows} with one graph query, then completes what is left. */
    private void load(EntityManager em, LoadingProfile profile, List<E> rows) {
        if (profile.isEmpty() || rows.isEmpty()) {
            return;
        }
        List<Object> ids = new ArrayList<>(rows.size());
        for (E row : rows) {
            ids.add(model.id().access().get(row));
        }
        CriteriaBuilder cb = em.getCriteriaBuilder();
        CriteriaQuery<E> q = cb.createQuery(entityClass);
        Root<E> root = q.from(entityClass);
        q.select(root).where(root.get(model.id().name()).in(ids));
        em.createQuery(q).setHint("jakarta.persistence.fetchgraph", profile.graph(em, entityClass)).getResultList();
        profile.ensureLoaded(rows);
    }

    private Predicate[] predicates(CriteriaBuilder cb, Root<E> root, List<Filter> filters) {
        Predicate[] out = new Predicate[filters.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = predicate(cb, root, filters.get(i));
        }
        return out;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Predicate predicate(CriteriaBuilder cb, Root<E> root, Filter f) {
        EntityModel.Property p = model.filterable(f.field());
        Path<?> attribute = p.path(root);
        Path<?> path = p.kind() == EntityModel.Kind.ASSOCIATION ? attribute.get(p.target().id().name()) : attribute;
        Object v = f.value();
        switch (f.op()) {
            case EQ:
                return cb.equal(path, v);
            case NE:
                return cb.notEqual(path, v);
            case LT:
                return cb.lessThan((Expression<Comparable>) path, (Comparable) v);
            case LTE:
                return cb.lessThanOrEqualTo((Expression<Comparable>) path, (Comparable) v);
            case GT:
                return cb.greaterThan((Expression<Comparable>) path, (Comparable) v);
            case GTE:
                return cb.greaterThanOrEqualTo((Expression<Comparable>) path, (Comparable) v);
            case IN:
                Collection<?> values = (Collection<?>) v;
                return values.isEmpty() ? cb.disjunction() : path.in(values);
            case CONTAINS:
                return cb.like((Expression<String>) path, "%" + escapeLike((String) v) + "%", '\\');
            case STARTS_WITH:
                return cb.like((Expression<String>) path, escapeLike((String) v) + "%", '\\');
            case IS_NULL:
                return attribute.isNull();
            case IS_NOT_NULL:
                return attribute.isNotNull();
            default:
                throw new InvalidQueryException("unsupported operator " + f.op());
        }
    }

    /**
     * Rows strictly after {@code after} in the key order of {@link #order}, nulls counting as the
     * smallest value (first ascending, last descending). Keys that cannot be null get plain
     * comparisons, which an index can serve; their cursor values are never null (see
     * {@link #decodeCursor}).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private Predicate keysetAfter(CriteriaBuilder cb, Root<E> root, List<Key> keys, List<Object> after) {
        List<Predicate> alternatives = new ArrayList<>();
        List<Predicate> equalSoFar = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            Key k = keys.get(i);
            Expression<Comparable> path = (Expression<Comparable>) k.property().path(root);
            Comparable v = (Comparable) after.get(i);
            Predicate strictlyAfter;
            Predicate equal;
            if (v == null) {
                equal = cb.isNull(path);
                strictlyAfter = k.direction() == Direction.ASC ? cb.isNotNull(path) : null;
            } else if (k.direction() == Direction.ASC) {
                equal = cb.equal(path, v);
                strictlyAfter = cb.greaterThan(path, v);
            } else {
                equal = cb.equal(path, v);
                strictlyAfter = k.property().nullable() ? cb.or(cb.lessThan(path, v), cb.isNull(path))
                        : cb.lessThan(path, v);
            }
            if (strictlyAfter != null) {
                List<Predicate> branch = new ArrayList<>(equalSoFar);
                branch.add(strictlyAfter);
                alternatives.add(cb.and(branch.toArray(Predicate[]::new)));
            }
            equalSoFar.add(equal);
        }
        return alternatives.isEmpty() ? cb.disjunction() : cb.or(alternatives.toArray(Predicate[]::new));
    }

    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    // ------------------------------------------------------------------ helpers

    private Filter equality(String field, Object value) {
        return value == null ? new Filter(field, FilterOp.IS_NULL, null) : new Filter(field, FilterOp.EQ, value);
    }

    private Filter normalize(Filter f) {
        EntityModel.Property p = model.filterable(f.field());
        switch (f.op()) {
            case IS_NULL:
            case IS_NOT_NULL:
                return f;
            case LT:
            case LTE:
            case GT:
            case GTE:
                if (p.kind() == EntityModel.Kind.ASSOCIATION || !Comparable.class.isAssignableFrom(p.valueType())) {
                    throw new InvalidQueryException(f.op() + " cannot be used on field '" + f.field() + "' of entity '"
                            + model.entityName() + "': it is not an ordered value");
                }
                return new Filter(f.field(), f.op(), model.convert(p, f.value()));
            case CONTAINS:
            case STARTS_WITH:
                if (p.kind() == EntityModel.Kind.ASSOCIATION || p.valueType() != String.class) {
                    throw new InvalidQueryException(f.op() + " needs a text field, but field '" + f.field()
                            + "' of entity '" + model.entityName() + "' is " + p.valueType().getSimpleName());
                }
                if (!(f.value() instanceof String)) {
                    throw new InvalidQueryException(f.op() + " on field '" + f.field() + "' needs a text value, got "
                            + f.value());
                }
                return f;
            case IN:
                List<Object> converted = new ArrayList<>();
                for (Object v : f.values()) {
                    converted.add(model.convert(p, v));
                }
                return new Filter(f.field(), f.op(), converted);
            default:
                return new Filter(f.field(), f.op(), model.convert(p, f.value()));
        }
    }

    private List<Object> decodeCursor(String token, QuerySpec spec, List<Key> keys) {
        List<String> texts = cursors.decode(token, spec.shapeCanonical(), keys.size());
        List<Object> values = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            EntityModel.Property p = keys.get(i).property();
            Object value;
            try {
                value = ValueConverter.convert(texts.get(i), p.valueType());
            } catch (IllegalArgumentException e) {
                throw new InvalidCursorException("cursor carries an unreadable value for '" + p.name() + "'", e);
            }
            if (value == null && !p.nullable()) {
                throw new InvalidCursorException("cursor carries no value for '" + p.name() + "', which cannot be null");
            }
            values.add(value);
        }
        return values;
    }

    private String encodeCursor(QuerySpec spec, List<Key> keys, E last) {
        List<String> texts = new ArrayList<>(keys.size());
        for (Key k : keys) {
            Object v = k.property().access().get(last);
            texts.add(v == null ? null : ValueConverter.toText(v));
        }
        return cursors.encode(spec.shapeCanonical(), texts);
    }

    private List<O> map(List<E> rows, LoadingProfile profile) {
        List<O> out = new ArrayList<>(rows.size());
        for (E row : rows) {
            out.add(mapper.apply(row, profile));
        }
        return out;
    }

    private LoadingProfile defaultProfile() {
        return profiles.get(DEFAULT_PROFILE);
    }

    private LoadingProfile profile(String name) {
        LoadingProfile p = name == null ? null : profiles.get(name);
        if (p == null) {
            throw new UnknownProfileException(model.entityName(), name, profiles.keySet());
        }
        return p;
    }

    private void requireId(Object id) {
        if (id == null) {
            throw InvalidIdException.nullId(model.entityName());
        }
    }

    private Object convertId(Object id) {
        try {
            return ValueConverter.convert(id, model.id().valueType());
        } catch (IllegalArgumentException e) {
            throw new InvalidIdException("id of entity '" + model.entityName() + "' has the wrong type: " + e.getMessage());
        }
    }

    private E instantiate() {
        try {
            var constructor = entityClass.getDeclaredConstructor();
            constructor.setAccessible(true);
            return constructor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("entity " + entityClass.getName() + " needs a no-argument constructor", e);
        }
    }

    private <R> R run(boolean write, Function<EntityManager, R> work) {
        EntityManager bound = JpaTransactions.current(emf);
        if (bound != null) {
            R result = work.apply(bound);
            if (write) {
                bound.flush();
            }
            ReadTracker.collect(bound);
            return result;
        }
        if (!write) {
            return read(work);
        }
        EntityManager em = emf.createEntityManager();
        try {
            return JpaTransactions.commitOrRollback(em, transactional -> {
                R result = work.apply(transactional);
                ReadTracker.collect(transactional);
                return result;
            });
        } finally {
            em.close();
        }
    }

    /**
     * Runs a read in a read-only session without a transaction. The session keeps the connection
     * it first takes until it closes (outside a transaction Hibernate would otherwise return it to
     * the pool after every statement).
     */
    private <R> R read(Function<EntityManager, R> work) {
        Session session = sessions.withOptions()
                .connectionHandling(ConnectionAcquisitionMode.AS_NEEDED, ConnectionReleaseMode.ON_CLOSE)
                .openSession();
        try {
            session.setDefaultReadOnly(true);
            R result = work.apply(session);
            ReadTracker.collect(session);
            return result;
        } finally {
            session.close();
        }
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
