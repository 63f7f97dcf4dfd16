package io.loom.cache.spring.data;

import io.loom.cache.LoomCache;
import io.loom.cache.hibernate.repository.JpaEntityRepository;
import io.loom.cache.hibernate.repository.JpaTransactions;
import io.loom.cache.invalidation.EntityNames;
import io.loom.cache.repository.PageResult;
import io.loom.cache.repository.QuerySpec;
import io.loom.cache.repository.Repository;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.metamodel.EntityType;

import java.lang.reflect.Type;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Loom repositories of one entity, one per output record or interface projection, built on first
 * use: the cached one for reads outside a transaction, the plain one (joining the transaction)
 * inside. Thread-safe.
 */
final class LoomViews {

    /** Spring Data repositories write through Spring Data; Loom's repository here only reads. */
    private record NoWrites() {
    }

    private record Pair(View plain, View cached) {
    }

    /** A Loom repository reading one output shape, and how its outputs become the method's values. */
    record View(Repository<Object, NoWrites, NoWrites, Object> repository, String profile, UnaryOperator<Object> adapt) {

        Optional<Object> getById(Object id) {
            return repository.getById(id, profile).map(adapt);
        }

        @SuppressWarnings("unchecked")
        PageResult<Object> page(QuerySpec spec) {
            PageResult<Object> page = (PageResult<Object>) repository.listWithQuery(spec, profile);
            return new PageResult<>(page.items().stream().map(adapt).toList(), page.page(), page.limit(), page.total(),
                    page.hasNext());
        }
    }

    private final EntityManagerFactory emf;
    private final LoomCache cache;
    private final Class<?> entity;
    private final Class<?> idType;
    private final int maxResults;
    private final Map<Class<?>, Optional<Pair>> byView = new ConcurrentHashMap<>();

    LoomViews(EntityManagerFactory emf, LoomCache cache, Class<?> entity, Class<?> idType, int maxResults) {
        this.emf = emf;
        this.cache = cache;
        this.entity = entity;
        this.idType = idType;
        this.maxResults = maxResults;
    }

    /**
     * The view reading {@code view} (a record or a closed interface projection): uncached when a
     * transaction is active on this thread; null when the projection names a property the entity
     * does not have.
     */
    View of(Class<?> view) {
        Optional<Pair> pair = byView.computeIfAbsent(view, this::build);
        return pair.map(p -> JpaTransactions.current(emf) != null ? p.plain() : p.cached()).orElse(null);
    }

    /**
     * A declared query's result through {@link LoomCache#getOrLoad}: it depends on this entity and
     * every entity the query text names, so any committed write to one of them misses it. Inside a
     * transaction {@code load} runs directly.
     */
    <V> V declared(String key, String query, Type type, Supplier<V> load) {
        if (JpaTransactions.current(emf) != null) {
            return load.get();
        }
        Set<String> entities = new LinkedHashSet<>();
        entities.add(entity.getSimpleName());
        for (EntityType<?> named : emf.getMetamodel().getEntities()) {
            if (Pattern.compile("\\b" + Pattern.quote(named.getName()) + "\\b").matcher(query).find()) {
                entities.add(named.getName());
            }
        }
        String name = EntityNames.normalize(entity.getSimpleName());
        return cache.getOrLoad(key, entities, type, cache.config().ttlForList(name), load);
    }

    /** Largest page the repositories serve. */
    int maxResults() {
        return maxResults;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Optional<Pair> build(Class<?> view) {
        if (view.isRecord()) {
            Repository plain = JpaEntityRepository.builder(emf, (Class) entity, (Class) view, NoWrites.class,
                    NoWrites.class, (Class) idType).maxLimit(maxResults).build();
            return Optional.of(new Pair(new View(plain, Repository.DEFAULT_PROFILE, UnaryOperator.identity()),
                    new View(cache.wrap(plain), Repository.DEFAULT_PROFILE, UnaryOperator.identity())));
        }
        ClosedProjection projection = ClosedProjection.of(view);
        EntityType<?> model = emf.getMetamodel().entity(entity);
        if (projection == null || !projection.properties().stream().allMatch(p -> hasAttribute(model, p))) {
            return Optional.empty();
        }
        // Every projection shares the output record, so its own profile keeps its entries apart.
        String profile = "projection:" + view.getName();
        Repository plain = JpaEntityRepository.builder(emf, (Class) entity, ClosedProjection.ProjectionValues.class,
                NoWrites.class, NoWrites.class, (Class) idType).maxLimit(maxResults).profile(profile)
                .mapper(e -> projection.capture(e)).build();
        UnaryOperator<Object> restore = values -> projection.restore((ClosedProjection.ProjectionValues) values);
        return Optional.of(new Pair(new View(plain, profile, restore), new View(cache.wrap(plain), profile, restore)));
    }

    private static boolean hasAttribute(EntityType<?> model, String name) {
        try {
            return model.getAttribute(name) != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
