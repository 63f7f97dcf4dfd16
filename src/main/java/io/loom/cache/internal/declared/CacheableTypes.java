package io.loom.cache.internal.declared;

import io.loom.cache.repository.CursorResult;
import io.loom.cache.repository.PageResult;

import java.lang.invoke.MethodType;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Which declared types a cached value or a key argument may have; answers with the reason when not. */
final class CacheableTypes {

    private static final Set<Class<?>> SCALARS = Set.of(String.class, Boolean.class, Character.class, Byte.class,
            Short.class, Integer.class, Long.class, Float.class, Double.class, BigDecimal.class, BigInteger.class,
            UUID.class, byte[].class);
    private static final Set<Class<?>> CONTAINERS = Set.of(List.class, Set.class, Collection.class, Map.class,
            Optional.class, PageResult.class, CursorResult.class);

    private CacheableTypes() {
    }

    /** Null when values of {@code type} can be cached and read back as the same type, else why not. */
    static String problem(Type type) {
        return problem(type, new HashSet<>());
    }

    private static String problem(Type type, Set<Class<?>> seenRecords) {
        if (type instanceof Class<?> c) {
            return classProblem(c, seenRecords);
        }
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            if (!CONTAINERS.contains(raw)) {
                return raw.getName() + " is neither a record nor a List, Set, Collection, Map, Optional, "
                        + "PageResult or CursorResult";
            }
            for (Type argument : p.getActualTypeArguments()) {
                String problem = problem(argument, seenRecords);
                if (problem != null) {
                    return problem;
                }
            }
            return null;
        }
        if (type instanceof TypeVariable<?> || type instanceof WildcardType) {
            return "the type " + type.getTypeName() + " is not concrete";
        }
        if (type instanceof GenericArrayType) {
            return "generic arrays are not supported";
        }
        return "unsupported type " + type.getTypeName();
    }

    private static String classProblem(Class<?> c, Set<Class<?>> seenRecords) {
        if (c == void.class || c == Void.class) {
            return "void has no value to cache";
        }
        if (c.isPrimitive() || SCALARS.contains(c) || c.isEnum() || isJavaTime(c)) {
            return null;
        }
        if (CONTAINERS.contains(c)) {
            return c.getSimpleName() + " needs concrete type arguments";
        }
        if (c.isRecord()) {
            if (!seenRecords.add(c)) {
                return null;
            }
            for (RecordComponent component : c.getRecordComponents()) {
                String problem = problem(component.getGenericType(), seenRecords);
                if (problem != null) {
                    return "record " + c.getSimpleName() + "." + component.getName() + ": " + problem;
                }
            }
            return null;
        }
        if (c.isArray()) {
            return "arrays other than byte[] are not supported";
        }
        if (isEmbeddable(c)) {
            return embeddableProblem(c, seenRecords);
        }
        return c.getName() + " is not a record, scalar, enum or supported collection"
                + " (entities, streams, iterators and futures cannot be cached)";
    }

    /*
     * A JPA @Embeddable (found by annotation name: the core does not depend on JPA) is a plain
     * value class: the serializer writes its fields and reads them back through its no-argument
     * constructor. Its values are mutable, so they are copied, never shared, between readers.
     */
    private static boolean isEmbeddable(Class<?> c) {
        for (java.lang.annotation.Annotation a : c.getAnnotations()) {
            String name = a.annotationType().getName();
            if (name.equals("jakarta.persistence.Embeddable") || name.equals("javax.persistence.Embeddable")) {
                return true;
            }
        }
        return false;
    }

    private static String embeddableProblem(Class<?> c, Set<Class<?>> seen) {
        if (!seen.add(c)) {
            return null;
        }
        try {
            c.getDeclaredConstructor();
        } catch (NoSuchMethodException e) {
            return "embeddable " + c.getSimpleName() + " has no no-argument constructor";
        }
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            for (java.lang.reflect.Field f : k.getDeclaredFields()) {
                int modifiers = f.getModifiers();
                if (java.lang.reflect.Modifier.isStatic(modifiers) || java.lang.reflect.Modifier.isTransient(modifiers)) {
                    continue;
                }
                String problem = problem(f.getGenericType(), seen);
                if (problem != null) {
                    return "embeddable " + c.getSimpleName() + "." + f.getName() + ": " + problem;
                }
            }
        }
        return null;
    }

    private static boolean isJavaTime(Class<?> c) {
        return c.getPackageName().equals("java.time") && !c.isInterface();
    }

    /** {@code type} with primitives boxed. */
    static Type boxed(Type type) {
        if (type instanceof Class<?> c && c.isPrimitive()) {
            return MethodType.methodType(c).wrap().returnType();
        }
        return type;
    }
}
