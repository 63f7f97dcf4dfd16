package io.loom.cache.spring.data;

import io.loom.cache.LoomCache;
import io.loom.cache.hibernate.repository.JpaEntityRepository;
import io.loom.cache.hibernate.repository.JpaTransactions;
import io.loom.cache.repository.Repository;
import io.loom.cache.invalidation.EntityNames;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.metamodel.EntityType;

import java.lang.reflect.Type;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loom repositories of one entity, one per output record, built on first use: the cached one for
 * reads outside a transaction, the plain one (joining the transaction) inside. Thread-safe.
 */
final class LoomViews {

    /** Spring Data repositories write through Spring Data; Loom's repository here only reads. */
    private record NoWrites() {
    }

    private record Pair(Repository<Object, NoWrites, NoWrites, Object> plain,
                        Repository<Object, NoWrites, NoWrites, Object> cached) {
    }

    private final EntityManagerFactory emf;
    private final LoomCache cache;
    private final Class<?> entity;
    private final Class<?> idType;
    private final int maxResults;
    private final Map<Class<?>, Pair> byView = new ConcurrentHashMap<>();

    LoomViews(EntityManagerFactory emf, LoomCache cache, Class<?> entity, Class<?> idType, int maxResults) {
        this.emf = emf;
        this.cache = cache;
        this.entity = entity;
        this.idType = idType;
        this.maxResults = maxResults;
    }

    /** The repository reading {@code view}: uncached when a transaction is active on this thread. */
    Repository<Object, NoWrites, NoWrites, Object> of(Class<?> view) {
        Pair pair = byView.computeIfAbsent(view, this::build);
        return JpaTransactions.current(emf) != null ? pair.plain() : pair.cached();
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
    private Pair build(Class<?> view) {
        Repository plain = JpaEntityRepository.builder(emf, (Class) entity, (Class) view, NoWrites.class,
                NoWrites.class, (Class) idType).maxLimit(maxResults).build();
        return new Pair(plain, cache.wrap(plain));
    }
}
