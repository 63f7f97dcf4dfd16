package io.loom.cache.spring.data;

import io.loom.cache.repository.InvalidPageException;
import io.loom.cache.repository.InvalidQueryException;
import io.loom.cache.repository.PageResult;
import io.loom.cache.repository.QuerySpec;
import io.loom.cache.serialization.MsgpackSerializer;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.core.ResolvableType;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.core.RepositoryInformation;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/*
 * A method is served by Loom only when Loom's answer is exactly Spring Data's: the same rows in
 * the same order and shape. Whatever a call cannot be answered that way (an offset that is not a
 * page boundary, an unpaged result larger than the repositories' page cap, a single-result query
 * matching several rows, a value Loom's filters reject) proceeds to Spring Data for that call,
 * which gives its usual result or exception.
 */
/** How one repository method is served through Loom; {@link #plan} decides whether it is at all. */
final class CachedMethod {

    private enum Kind { BY_ID, ALL_BY_ID, QUERY, DECLARED }

    private final Kind kind;
    private final ResultShape shape;
    private final Class<?> view;
    private final DerivedQuery query;
    private final int pageableIndex;
    private final int sortIndex;
    private final boolean intResult;
    private final String declaredQuery;
    private final Type declaredType;
    private final String signature;

    private CachedMethod(Kind kind, ResultShape shape, Class<?> view, DerivedQuery query, int pageableIndex,
                         int sortIndex, boolean intResult) {
        this(kind, shape, view, query, pageableIndex, sortIndex, intResult, null, null, null);
    }

    private CachedMethod(Kind kind, ResultShape shape, Class<?> view, DerivedQuery query, int pageableIndex,
                         int sortIndex, boolean intResult, String declaredQuery, Type declaredType, String signature) {
        this.declaredQuery = declaredQuery;
        this.declaredType = declaredType;
        this.signature = signature;
        this.kind = kind;
        this.shape = shape;
        this.view = view;
        this.query = query;
        this.pageableIndex = pageableIndex;
        this.sortIndex = sortIndex;
        this.intResult = intResult;
    }

    /** How {@code method} is served, or empty when it passes through to Spring Data. */
    static Optional<CachedMethod> plan(Method method, RepositoryInformation info, LoomCached cached, String idAttribute) {
        ResultShape shape = ResultShape.of(method);
        if (shape == null) {
            return Optional.empty();
        }
        Class<?> view = shape == ResultShape.COUNT || shape == ResultShape.EXISTS ? cached.view()
                : shape.element(method, info.getRepositoryInterface());
        if (view == null || view == Record.class || !view.isRecord() && ClosedProjection.of(view) == null) {
            return Optional.empty(); // entities, open projections, unresolved types
        }
        int pageable = -1;
        int sort = -1;
        int values = 0;
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            if (types[i] == Pageable.class) {
                pageable = i;
            } else if (types[i] == Sort.class) {
                sort = i;
            } else if (special(types[i])) {
                return Optional.empty();
            } else {
                values++;
            }
        }
        boolean intResult = method.getReturnType() == int.class || method.getReturnType() == Integer.class;
        if (info.isBaseClassMethod(method)) {
            Kind kind = baseKind(method.getName(), shape, values, pageable, sort);
            return kind == null ? Optional.empty()
                    : Optional.of(new CachedMethod(kind, shape, view, DerivedQuery.all(), pageable, sort, intResult));
        }
        if (!info.isQueryMethod(method)) {
            return Optional.empty();
        }
        if (declaresQuery(method)) {
            String jpql = jpql(method);
            if (jpql == null || !view.isRecord() || pageable >= 0 || sort >= 0 || !(shape.single() || shape == ResultShape.LIST)) {
                return Optional.empty();
            }
            Type type = shape == ResultShape.LIST
                    ? ResolvableType.forMethodReturnType(method, info.getRepositoryInterface()).getType() : view;
            return Optional.of(new CachedMethod(Kind.DECLARED, shape, view, null, -1, -1, false, jpql, type,
                    info.getRepositoryInterface().getName() + "#" + method.toGenericString()));
        }
        DerivedQuery query = DerivedQuery.parse(method.getName(), info.getDomainType());
        if (query == null || query.arguments() != values || query.isCount() != (shape == ResultShape.COUNT)
                || query.isExists() != (shape == ResultShape.EXISTS)) {
            return Optional.empty();
        }
        boolean byId = shape.single() && idAttribute.equals(query.singleEquality()) && pageable < 0 && sort < 0
                && query.maxResults() == null;
        return Optional.of(new CachedMethod(byId ? Kind.BY_ID : Kind.QUERY, shape, view, query, pageable, sort,
                intResult));
    }

    private static Kind baseKind(String name, ResultShape shape, int values, int pageable, int sort) {
        return switch (name) {
            case "findById" -> values == 1 && shape.single() ? Kind.BY_ID : null;
            case "existsById" -> values == 1 && shape == ResultShape.EXISTS ? Kind.BY_ID : null;
            case "findAllById" -> values == 1 && shape == ResultShape.LIST ? Kind.ALL_BY_ID : null;
            case "findAll" -> values == 0 && !shape.single() && shape != ResultShape.COUNT
                    && shape != ResultShape.EXISTS ? Kind.QUERY : null;
            case "count" -> values == 0 && pageable < 0 && sort < 0 && shape == ResultShape.COUNT ? Kind.QUERY : null;
            default -> null;
        };
    }

    /** Parameters Loom does not translate: projections by class, limits, scrolling, specifications, examples. */
    private static boolean special(Class<?> type) {
        String name = type.getName();
        return type == Class.class || name.startsWith("org.springframework.data.");
    }

    /** {@code @Query}, {@code @NativeQuery} and other declared queries are not derived from the name. */
    private static boolean declaresQuery(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            String name = annotation.annotationType().getName();
            if (name.startsWith("org.springframework.data.jpa.repository.") && name.endsWith("Query")) {
                return true;
            }
        }
        return false;
    }

    /** The JPQL of a {@code @Query} method, or null for a native or other declared query. */
    private static String jpql(Method method) {
        Query query = method.getAnnotation(Query.class);
        if (query == null || query.nativeQuery() || method.isAnnotationPresent(Modifying.class)) {
            return null;
        }
        return query.value().isBlank() ? null : query.value();
    }

    /** Serves one call, or proceeds to Spring Data when Loom cannot answer it exactly. */
    Object run(LoomViews views, MethodInvocation invocation) throws Throwable {
        Object[] args = invocation.getArguments();
        LoomViews.View repository = kind == Kind.DECLARED ? null : views.of(view);
        if (repository == null && kind != Kind.DECLARED) {
            return invocation.proceed();
        }
        try {
            return switch (kind) {
                case BY_ID -> args[0] == null ? invocation.proceed() : byId(repository, args[0]);
                case ALL_BY_ID -> allById(repository, (Iterable<?>) args[0]);
                case QUERY -> query(views, repository, invocation);
                case DECLARED -> declared(views, invocation);
            };
        } catch (InvalidQueryException | InvalidPageException e) {
            return invocation.proceed();
        }
    }

    /** A {@code @Query} result, cached per entity (see {@link LoomViews#declared}). */
    private Object declared(LoomViews views, MethodInvocation invocation) throws Throwable {
        String key = signature + "|" + Base64.getEncoder().encodeToString(
                MsgpackSerializer.INSTANCE.dumps(Arrays.asList(invocation.getArguments())));
        try {
            Object value = views.declared(key, declaredQuery, declaredType, () -> {
                try {
                    Object result = invocation.proceed();
                    return shape == ResultShape.OPTIONAL ? ((Optional<?>) result).orElse(null) : result;
                } catch (Throwable e) {
                    throw new TargetFailure(e);
                }
            });
            return shape.one(value);
        } catch (TargetFailure failure) {
            throw failure.getCause();
        }
    }

    /** Carries Spring Data's own exception through the cache unchanged. */
    private static final class TargetFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TargetFailure(Throwable cause) {
            super(null, cause, false, false);
        }
    }

    private Object byId(LoomViews.View repository, Object id) {
        Optional<Object> found = repository.getById(id);
        return shape == ResultShape.EXISTS ? found.isPresent() : shape.one(found.orElse(null));
    }

    private List<Object> allById(LoomViews.View repository, Iterable<?> ids) {
        List<Object> found = new ArrayList<>();
        for (Object id : ids) {
            repository.getById(id).ifPresent(found::add);
        }
        return found;
    }

    @SuppressWarnings("unchecked")
    private Object query(LoomViews views, LoomViews.View repository, MethodInvocation invocation)
            throws Throwable {
        Object[] args = invocation.getArguments();
        Pageable pageable = pageableIndex >= 0 && args[pageableIndex] != null ? (Pageable) args[pageableIndex]
                : Pageable.unpaged();
        Sort sort = sortIndex >= 0 && args[sortIndex] != null ? (Sort) args[sortIndex] : Sort.unsorted();
        sort = sort.and(pageable.getSort());
        if (!DerivedQuery.translatable(sort)) {
            return invocation.proceed();
        }
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (i != pageableIndex && i != sortIndex) {
                values.add(args[i]);
            }
        }
        QuerySpec.Builder builder = query.toSpec(values, sort);
        Integer top = query.maxResults();
        int cap = views.maxResults();
        QuerySpec spec;
        if (shape == ResultShape.COUNT || shape == ResultShape.EXISTS) {
            spec = builder.page(1, 1);
        } else if (pageable.isPaged()) {
            if (top != null || pageable.getPageSize() > cap
                    || pageable.getOffset() != (long) pageable.getPageNumber() * pageable.getPageSize()) {
                return invocation.proceed();
            }
            spec = builder.page(pageable.getPageNumber() + 1, pageable.getPageSize());
        } else if (top != null) {
            if (top > cap) {
                return invocation.proceed();
            }
            spec = builder.page(1, top);
        } else {
            spec = builder.page(1, shape.single() ? 2 : cap);
        }
        PageResult<Object> result = repository.page(spec);
        boolean unbounded = !pageable.isPaged() && top == null;
        if (unbounded && (shape.single() ? result.items().size() > 1 : result.hasNext())) {
            return invocation.proceed(); // several rows for a single result, or more than a cached page holds
        }
        Object out = shape.from(result, pageable);
        return intResult ? Math.toIntExact((Long) out) : out;
    }
}
