package io.loom.cache.hibernate.repository;

import io.loom.cache.repository.InvalidIdException;
import jakarta.persistence.EntityGraph;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.TypedQuery;

import java.util.List;
import java.util.Map;

/*
 * Text ids load by query. em.find keys the loaded entity by the id as the caller spelled it, but a
 * case-insensitive or pad-space collation (MySQL and MariaDB defaults) finds row "mixed" for
 * "MIXED" or "mixed ". A query keys it by the id the row returned, so the read reports (and a
 * cache stamps) the row that a write of "mixed" invalidates. The query is a string, not Criteria,
 * so that Hibernate caches its plan. Other ids use em.find, which the persistence context serves.
 */
/** Checks and converts the ids callers pass, and loads one entity by id with a profile's relations. */
final class IdLookup<E> {

    private final Class<E> entityClass;
    private final EntityModel model;
    /** Whether ids are text, which a collation may match in another spelling. */
    private final boolean textId;
    private final String byIdQuery;

    /**
     * @throws IllegalArgumentException if {@code idType} is not the type of the entity's id
     */
    IdLookup(EntityManagerFactory emf, Class<E> entityClass, EntityModel model, Class<?> idType) {
        if (ValueConverter.box(idType) != model.id().valueType()) {
            throw new IllegalArgumentException("id type " + idType.getName() + " does not match the id of "
                    + entityClass.getSimpleName() + " (" + model.id().valueType().getName() + ")");
        }
        this.entityClass = entityClass;
        this.model = model;
        this.textId = model.id().valueType() == String.class;
        this.byIdQuery = "select e from " + emf.getMetamodel().entity(entityClass).getName() + " e where e."
                + model.id().name() + " = :id";
    }

    /** @throws InvalidIdException if {@code id} is null */
    void requireId(Object id) {
        if (id == null) {
            throw InvalidIdException.nullId(model.entityName());
        }
    }

    /**
     * The id as the entity's id type.
     *
     * @throws InvalidIdException if it is null or cannot be converted
     */
    Object key(Object id) {
        requireId(id);
        try {
            return ValueConverter.convert(id, model.id().valueType());
        } catch (IllegalArgumentException e) {
            throw new InvalidIdException("id of entity '" + model.entityName() + "' has the wrong type: " + e.getMessage());
        }
    }

    /** The entity with this id (see {@link #key}) fetched with the profile's graph, or null. */
    E find(EntityManager em, Object key, LoadingProfile profile) {
        EntityGraph<E> graph = profile.graph(em, entityClass);
        if (textId) {
            TypedQuery<E> query = em.createQuery(byIdQuery, entityClass).setParameter("id", key).setMaxResults(1);
            if (graph != null) {
                query.setHint("jakarta.persistence.fetchgraph", graph);
            }
            List<E> rows = query.getResultList();
            return rows.isEmpty() ? null : rows.get(0);
        }
        return graph == null ? em.find(entityClass, key)
                : em.find(entityClass, key, Map.of("jakarta.persistence.fetchgraph", graph));
    }
}
