package io.loom.cache.internal.codec;

import io.loom.cache.repository.CursorResult;
import io.loom.cache.repository.PageResult;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalAmount;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Decides whether decoded values of a declared type can be handed to several callers: the near
 * cache shares such values and decodes every other type per hit. Conservative: a type is shared
 * only when every value reachable from it is immutable (scalars, enums, {@code java.time} values,
 * records of such, {@link PageResult} and {@link CursorResult} of such, which copy their lists).
 * Records with collection or array components are not, since decoded collections are mutable.
 */
final class ImmutableTypes {

    private static final Set<Class<?>> SCALARS = Set.of(String.class, Boolean.class, Byte.class, Short.class,
            Integer.class, Long.class, Float.class, Double.class, Character.class, BigDecimal.class,
            BigInteger.class, UUID.class, URI.class);

    private ImmutableTypes() {
    }

    static boolean isImmutable(Type type) {
        return isImmutable(type, Map.of(), new HashSet<>());
    }

    private static boolean isImmutable(Type type, Map<TypeVariable<?>, Type> bindings, Set<Type> visiting) {
        if (type instanceof TypeVariable<?> variable) {
            Type bound = bindings.get(variable);
            return bound != null && isImmutable(bound, Map.of(), visiting);
        }
        if (type instanceof ParameterizedType parameterized && parameterized.getRawType() instanceof Class<?> raw) {
            Type[] arguments = parameterized.getActualTypeArguments();
            if (raw == Optional.class || raw == PageResult.class || raw == CursorResult.class) {
                return isImmutable(arguments[0], bindings, visiting);
            }
            if (!raw.isRecord()) {
                return false;
            }
            Map<TypeVariable<?>, Type> bound = new HashMap<>();
            TypeVariable<?>[] variables = raw.getTypeParameters();
            for (int i = 0; i < variables.length; i++) {
                bound.put(variables[i], resolve(arguments[i], bindings));
            }
            return recordIsImmutable(raw, bound, visiting);
        }
        if (!(type instanceof Class<?> cls)) {
            return false;
        }
        if (cls.isPrimitive() || cls.isEnum() || SCALARS.contains(cls)) {
            return true;
        }
        if (cls.getName().startsWith("java.time.")
                && (TemporalAccessor.class.isAssignableFrom(cls) || TemporalAmount.class.isAssignableFrom(cls)
                || cls.getName().startsWith("java.time.Zone"))) {
            return true;
        }
        return cls.isRecord() && cls.getTypeParameters().length == 0 && recordIsImmutable(cls, Map.of(), visiting);
    }

    private static boolean recordIsImmutable(Class<?> record, Map<TypeVariable<?>, Type> bindings, Set<Type> visiting) {
        if (!visiting.add(record)) {
            return true; // a cycle: decided by the first visit
        }
        try {
            for (RecordComponent component : record.getRecordComponents()) {
                if (!isImmutable(component.getGenericType(), bindings, visiting)) {
                    return false;
                }
            }
            return true;
        } finally {
            visiting.remove(record);
        }
    }

    private static Type resolve(Type type, Map<TypeVariable<?>, Type> bindings) {
        return type instanceof TypeVariable<?> variable && bindings.containsKey(variable) ? bindings.get(variable) : type;
    }
}
