package io.loom.cache.hibernate.repository;

import io.loom.cache.repository.CursorParams;
import io.loom.cache.repository.Filter;
import io.loom.cache.repository.FilterOp;
import io.loom.cache.repository.FilterParams;
import io.loom.cache.repository.InvalidPageException;
import io.loom.cache.repository.InvalidQueryException;
import io.loom.cache.repository.PageParams;
import io.loom.cache.repository.Pagination;
import io.loom.cache.repository.QuerySpec;
import io.loom.cache.repository.Sort;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks a query against the entity before anything runs: every field against the metamodel,
 * every operator against the field's type, the page size against the cap and the cursor against
 * the query, converting each value to the attribute's type. Throws the repository contract's
 * typed exceptions naming what does not fit.
 */
final class QueryValidator {

    private final EntityModel model;
    private final int maxLimit;
    private final KeysetCursors cursors;

    QueryValidator(EntityModel model, int maxLimit, KeysetCursors cursors) {
        this.model = model;
        this.maxLimit = maxLimit;
        this.cursors = cursors;
    }

    /** The normalized query of a single-row lookup by {@code field} (a null value matches IS NULL). */
    QuerySpec byField(String field, Object value) {
        Filter f = value == null ? new Filter(field, FilterOp.IS_NULL, null) : new Filter(field, FilterOp.EQ, value);
        return normalize(new QuerySpec(List.of(f), List.of(), new PageParams(1, 1)));
    }

    /** See {@link io.loom.cache.repository.Repository#normalize(QuerySpec)}. */
    QuerySpec normalize(QuerySpec spec) {
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
            cursors.decode(c.after(), normalized, SortKey.of(model, normalized.sorts()));
        }
        return normalized;
    }

    /** See {@link io.loom.cache.repository.Repository#normalize(FilterParams)}. */
    FilterParams normalize(FilterParams filters) {
        Objects.requireNonNull(filters, "filters");
        Map<String, Object> converted = new HashMap<>();
        filters.equalities().forEach((field, value) -> converted.put(field, model.convert(model.filterable(field), value)));
        return new FilterParams(converted);
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
}
