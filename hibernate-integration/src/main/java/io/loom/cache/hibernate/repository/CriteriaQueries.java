package io.loom.cache.hibernate.repository;

import io.loom.cache.repository.Direction;
import io.loom.cache.repository.Filter;
import io.loom.cache.repository.InvalidQueryException;
import jakarta.persistence.EntityManager;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.Expression;
import jakarta.persistence.criteria.Nulls;
import jakarta.persistence.criteria.Order;
import jakarta.persistence.criteria.Path;
import jakarta.persistence.criteria.Predicate;
import jakarta.persistence.criteria.Root;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/*
 * Translates validated filters and sort keys (see QueryValidator) into Criteria queries over one
 * entity. Values arrive already converted to the attribute's type, so no string reaches JPQL.
 *
 * Order and keyset. Nulls count as the smallest value: first ascending, last descending, the same
 * rule in ORDER BY and in the keyset predicate, so a cursor continues exactly where its page
 * ended. A key that cannot be null gets neither a null precedence nor an IS NULL branch: plain
 * comparisons that an index can serve (PostgreSQL uses an index for ORDER BY a ASC NULLS FIRST
 * only when the index itself is declared so). "Strictly after (v1, ..., vn)" is the disjunction
 * over i of "keys 1..i-1 equal and key i strictly after", the standard row-value comparison
 * written out because the keys may mix directions.
 */
/** Builds and runs the Criteria queries of one entity's repository: select, count, exists. */
final class CriteriaQueries<E> {

    private final Class<E> entityClass;
    private final EntityModel model;

    CriteriaQueries(Class<E> entityClass, EntityModel model) {
        this.entityClass = entityClass;
        this.model = model;
    }

    /**
     * The rows matching {@code filters} in the order of {@code keys} (the id when empty), from
     * {@code offset}, at most {@code limit}, strictly after the key values {@code after} when not null.
     */
    List<E> select(EntityManager em, List<Filter> filters, List<SortKey> keys, long offset, int limit,
                   List<Object> after) {
        CriteriaBuilder cb = em.getCriteriaBuilder();
        CriteriaQuery<E> q = cb.createQuery(entityClass);
        Root<E> root = q.from(entityClass);
        List<Predicate> where = new ArrayList<>(List.of(predicates(cb, root, filters)));
        if (after != null) {
            where.add(keysetAfter(cb, root, keys, after));
        }
        List<Order> orders = new ArrayList<>();
        List<SortKey> effective = keys.isEmpty() ? List.of(new SortKey(model.id(), Direction.ASC)) : keys;
        for (SortKey k : effective) {
            orders.add(order(cb, k.property().path(root), k));
        }
        q.select(root).where(where.toArray(Predicate[]::new)).orderBy(orders);
        return em.createQuery(q).setFirstResult(Math.toIntExact(offset)).setMaxResults(limit).getResultList();
    }

    /** How many rows match {@code filters}. */
    long count(EntityManager em, List<Filter> filters) {
        CriteriaBuilder cb = em.getCriteriaBuilder();
        CriteriaQuery<Long> q = cb.createQuery(Long.class);
        Root<E> root = q.from(entityClass);
        q.select(cb.count(root)).where(predicates(cb, root, filters));
        return em.createQuery(q).getSingleResult();
    }

    /** Whether a row matches {@code filters}; reads one id at most. */
    boolean exists(EntityManager em, List<Filter> filters) {
        CriteriaBuilder cb = em.getCriteriaBuilder();
        CriteriaQuery<Object> q = cb.createQuery(Object.class);
        Root<E> root = q.from(entityClass);
        q.select(root.get(model.id().name())).where(predicates(cb, root, filters));
        return !em.createQuery(q).setMaxResults(1).getResultList().isEmpty();
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
     * Rows strictly after {@code after} in the key order of {@link #order} (see the comment at the
     * top). Cursor values of keys that cannot be null are never null (see {@link KeysetCursors}).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private Predicate keysetAfter(CriteriaBuilder cb, Root<E> root, List<SortKey> keys, List<Object> after) {
        List<Predicate> alternatives = new ArrayList<>();
        List<Predicate> equalSoFar = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            SortKey k = keys.get(i);
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

    /** Nulls first ascending, last descending; no null precedence on a key that cannot be null. */
    private static Order order(CriteriaBuilder cb, Path<?> path, SortKey k) {
        boolean asc = k.direction() == Direction.ASC;
        if (!k.property().nullable()) {
            return asc ? cb.asc(path) : cb.desc(path);
        }
        return asc ? cb.asc(path, Nulls.FIRST) : cb.desc(path, Nulls.LAST);
    }

    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
