package io.loom.cache.spring.data;

import io.loom.cache.repository.PageResult;
import org.springframework.core.ResolvableType;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Slice;
import org.springframework.data.domain.SliceImpl;

import java.lang.reflect.Method;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** What a repository method returns, and how a Loom page becomes it. */
enum ResultShape {
    /** One value or null. */
    SINGLE,
    OPTIONAL,
    LIST,
    PAGE,
    SLICE,
    /** {@code long}/{@code int} count. */
    COUNT,
    /** {@code boolean}. */
    EXISTS;

    /** The shape of {@code method}'s return type, or null when it is none of these. */
    static ResultShape of(Method method) {
        Class<?> type = method.getReturnType();
        if (type == Optional.class) {
            return OPTIONAL;
        }
        if (type == List.class || type == Collection.class || type == Iterable.class) {
            return LIST;
        }
        if (type == Page.class) {
            return PAGE;
        }
        if (type == Slice.class) {
            return SLICE;
        }
        if (type == long.class || type == Long.class || type == int.class || type == Integer.class) {
            return COUNT;
        }
        if (type == boolean.class || type == Boolean.class) {
            return EXISTS;
        }
        return type.isRecord() || ClosedProjection.of(type) != null ? SINGLE : null;
    }

    /** The element type (the record for SINGLE), null for COUNT and EXISTS or when unresolved. */
    Class<?> element(Method method, Class<?> repositoryInterface) {
        ResolvableType type = ResolvableType.forMethodReturnType(method, repositoryInterface);
        return switch (this) {
            case SINGLE -> type.resolve();
            case OPTIONAL, LIST, PAGE, SLICE -> type.getGeneric(0).resolve();
            case COUNT, EXISTS -> null;
        };
    }

    boolean single() {
        return this == SINGLE || this == OPTIONAL;
    }

    /** A single value as this shape. */
    Object one(Object value) {
        return this == OPTIONAL ? Optional.ofNullable(value) : value;
    }

    /** A Loom page as this shape, for the request {@code pageable} (unpaged when there was none). */
    Object from(PageResult<Object> result, Pageable pageable) {
        return switch (this) {
            case SINGLE, OPTIONAL -> one(result.items().isEmpty() ? null : result.items().get(0));
            case LIST -> result.items();
            case PAGE -> pageable.isPaged() ? new PageImpl<>(result.items(), pageable, result.total())
                    : new PageImpl<>(result.items());
            case SLICE -> new SliceImpl<>(result.items(), pageable, result.hasNext());
            case COUNT -> result.total();
            case EXISTS -> result.total() > 0;
        };
    }
}
