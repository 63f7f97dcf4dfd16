package io.loom.cache.hibernate.repository;

import io.loom.cache.repository.Repository;
import io.loom.cache.repository.UnknownProfileException;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.Root;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The loading profiles of one entity's repository, {@value Repository#DEFAULT_PROFILE} included:
 * looked up by name, and applied to the rows a query returned so that every relation a profile
 * names is loaded before the EntityManager closes.
 */
final class ProfileLoader<E> {

    private final Class<E> entityClass;
    private final EntityModel model;
    private final Map<String, LoadingProfile> profiles;

    private ProfileLoader(Class<E> entityClass, EntityModel model, Map<String, LoadingProfile> profiles) {
        this.entityClass = entityClass;
        this.model = model;
        this.profiles = Map.copyOf(profiles);
    }

    /**
     * The default profile plus those given as relation paths and as names of entity graphs.
     *
     * @throws IllegalArgumentException if a path does not name relations of the entity
     */
    static <E> ProfileLoader<E> of(EntityManagerFactory emf, Class<E> entityClass, EntityModel model,
                                   Map<String, List<String>> paths, Map<String, String> graphs) {
        Map<String, LoadingProfile> p = new LinkedHashMap<>();
        p.put(Repository.DEFAULT_PROFILE, LoadingProfile.of(Repository.DEFAULT_PROFILE, model, List.of()));
        paths.forEach((name, relationPaths) -> p.put(name, LoadingProfile.of(name, model, relationPaths)));
        if (!graphs.isEmpty()) {
            EntityManager em = emf.createEntityManager();
            try {
                graphs.forEach((name, graphName) ->
                        p.put(name, LoadingProfile.of(name, model, LoadingProfile.pathsOf(em.getEntityGraph(graphName)))));
            } finally {
                em.close();
            }
        }
        return new ProfileLoader<>(entityClass, model, p);
    }

    Set<String> names() {
        return profiles.keySet();
    }

    /** @throws UnknownProfileException if no profile has this name (or it is null) */
    LoadingProfile profile(String name) {
        LoadingProfile p = name == null ? null : profiles.get(name);
        if (p == null) {
            throw new UnknownProfileException(model.entityName(), name, profiles.keySet());
        }
        return p;
    }

    LoadingProfile defaultProfile() {
        return profiles.get(Repository.DEFAULT_PROFILE);
    }

    /** Loads the profile's relations for {@code rows} with one graph query, then completes what is left. */
    void load(EntityManager em, LoadingProfile profile, List<E> rows) {
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
}
