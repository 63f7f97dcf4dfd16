package io.loom.cache.spring.data;

import io.loom.cache.LoomCache;
import io.loom.cache.hibernate.repository.JpaEntityRepository;
import io.loom.cache.hibernate.repository.JpaTransactions;
import io.loom.cache.repository.Repository;
import jakarta.persistence.EntityManagerFactory;

import java.util.Map;
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
