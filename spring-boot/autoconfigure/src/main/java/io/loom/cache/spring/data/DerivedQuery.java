package io.loom.cache.spring.data;

import io.loom.cache.repository.Direction;
import io.loom.cache.repository.Filter;
import io.loom.cache.repository.FilterOp;
import io.loom.cache.repository.QuerySpec;
import org.springframework.data.domain.Sort;
import org.springframework.data.repository.query.parser.Part;
import org.springframework.data.repository.query.parser.PartTree;

import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;

/*
 * Translation of a Spring Data method name to Loom filters and sorts. Only what Loom's QuerySpec
 * expresses with the same meaning is translated: one conjunction (no Or), top-level properties,
 * case-sensitive comparisons; anything else makes the method pass through to Spring Data.
 * Spring Data's null handling is kept: "findByX(null)" means "x is null", "findByXNot(null)"
 * "x is not null". Between is inclusive on both ends, as in Spring Data JPA.
 */
/** A derived query method's criteria and static order, as Loom filters and sorts. Immutable. */
final class DerivedQuery {

    private final List<Part> parts;
    private final Sort sort;
    private final boolean count;
    private final boolean exists;
    private final Integer maxResults;

    private DerivedQuery(List<Part> parts, Sort sort, boolean count, boolean exists, Integer maxResults) {
        this.parts = parts;
        this.sort = sort;
        this.count = count;
        this.exists = exists;
        this.maxResults = maxResults;
    }

    /** The query of a method name, or null when Loom cannot express it. */
    static DerivedQuery parse(String methodName, Class<?> domainType) {
        PartTree tree;
        try {
            tree = new PartTree(methodName, domainType);
        } catch (RuntimeException e) {
            return null;
        }
        if (tree.isDelete() || tree.isDistinct()) {
            return null;
        }
        Iterator<PartTree.OrPart> ors = tree.iterator();
        List<Part> parts = List.of();
        if (ors.hasNext()) {
            parts = ors.next().stream().toList();
            if (ors.hasNext()) {
                return null;
            }
        }
        for (Part part : parts) {
            if (!supported(part)) {
                return null;
            }
        }
        if (!translatable(tree.getSort())) {
            return null;
        }
        return new DerivedQuery(parts, tree.getSort(), tree.isCountProjection(), tree.isExistsProjection(),
                tree.isLimiting() ? tree.getMaxResults() : null);
    }

    /** A query over every row (findAll, count). */
    static DerivedQuery all() {
        return new DerivedQuery(List.of(), Sort.unsorted(), false, false, null);
    }

    private static boolean supported(Part part) {
        if (part.shouldIgnoreCase() != Part.IgnoreCaseType.NEVER || part.getProperty().hasNext()) {
            return false;
        }
        return switch (part.getType()) {
            case SIMPLE_PROPERTY, NEGATING_SIMPLE_PROPERTY, LESS_THAN, LESS_THAN_EQUAL, GREATER_THAN,
                 GREATER_THAN_EQUAL, BEFORE, AFTER, BETWEEN, IN, IS_NULL, IS_NOT_NULL, TRUE, FALSE -> true;
            case STARTING_WITH, CONTAINING -> part.getProperty().getType() == String.class;
            default -> false;
        };
    }

    /** Whether Loom sorts as {@code sort} asks (no case-insensitive or explicit null ordering). */
    static boolean translatable(Sort sort) {
        for (Sort.Order order : sort) {
            if (order.isIgnoreCase() || order.getNullHandling() != Sort.NullHandling.NATIVE
                    || order.getProperty().contains(".")) {
                return false;
            }
        }
        return true;
    }

    boolean isCount() {
        return count;
    }

    boolean isExists() {
        return exists;
    }

    Integer maxResults() {
        return maxResults;
    }

    /** Number of method arguments the criteria consume, in order. */
    int arguments() {
        return parts.stream().mapToInt(Part::getNumberOfArguments).sum();
    }

    /** The property of a single equality criterion, or null (to serve {@code findById}-like methods by id). */
    String singleEquality() {
        return parts.size() == 1 && parts.get(0).getType() == Part.Type.SIMPLE_PROPERTY
                ? parts.get(0).getProperty().getSegment() : null;
    }

    /** The filters for these criteria values, and the static order followed by {@code dynamic}. */
    QuerySpec.Builder toSpec(List<Object> values, Sort dynamic) {
        QuerySpec.Builder spec = QuerySpec.all();
        Iterator<Object> next = values.iterator();
        for (Part part : parts) {
            String field = part.getProperty().getSegment();
            switch (part.getType()) {
                case SIMPLE_PROPERTY -> spec.add(equality(field, next.next(), FilterOp.EQ, FilterOp.IS_NULL));
                case NEGATING_SIMPLE_PROPERTY -> spec.add(equality(field, next.next(), FilterOp.NE, FilterOp.IS_NOT_NULL));
                case LESS_THAN, BEFORE -> spec.add(new Filter(field, FilterOp.LT, next.next()));
                case LESS_THAN_EQUAL -> spec.add(new Filter(field, FilterOp.LTE, next.next()));
                case GREATER_THAN, AFTER -> spec.add(new Filter(field, FilterOp.GT, next.next()));
                case GREATER_THAN_EQUAL -> spec.add(new Filter(field, FilterOp.GTE, next.next()));
                case BETWEEN -> {
                    spec.add(new Filter(field, FilterOp.GTE, next.next()));
                    spec.add(new Filter(field, FilterOp.LTE, next.next()));
                }
                case IN -> spec.add(new Filter(field, FilterOp.IN, collection(next.next())));
                case IS_NULL -> spec.add(new Filter(field, FilterOp.IS_NULL, null));
                case IS_NOT_NULL -> spec.add(new Filter(field, FilterOp.IS_NOT_NULL, null));
                case TRUE -> spec.add(new Filter(field, FilterOp.EQ, Boolean.TRUE));
                case FALSE -> spec.add(new Filter(field, FilterOp.EQ, Boolean.FALSE));
                case STARTING_WITH -> spec.add(new Filter(field, FilterOp.STARTS_WITH, next.next()));
                case CONTAINING -> spec.add(new Filter(field, FilterOp.CONTAINS, next.next()));
                default -> throw new IllegalStateException("untranslated part " + part);
            }
        }
        for (Sort.Order order : sort.and(dynamic)) {
            spec.orderBy(order.getProperty(), order.isAscending() ? Direction.ASC : Direction.DESC);
        }
        return spec;
    }

    private static Filter equality(String field, Object value, FilterOp op, FilterOp whenNull) {
        return value == null ? new Filter(field, whenNull, null) : new Filter(field, op, value);
    }

    private static Collection<?> collection(Object value) {
        if (value instanceof Collection<?> c) {
            return c;
        }
        if (value instanceof Object[] array) {
            return Arrays.asList(array);
        }
        if (value instanceof Iterable<?> iterable) {
            List<Object> list = new java.util.ArrayList<>();
            iterable.forEach(list::add);
            return list;
        }
        return value == null ? null : List.of(value);
    }
}
