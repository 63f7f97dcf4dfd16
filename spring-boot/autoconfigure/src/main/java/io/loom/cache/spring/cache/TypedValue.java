package io.loom.cache.spring.cache;

import io.loom.cache.serialization.MsgpackSerializer;
import org.springframework.core.ResolvableType;

import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/*
 * A Spring cache does not know its values' types, so each stored value carries its type:
 * the class, or for a list, set or map the class of its first element (key and value). Only
 * immutable-shaped data types are accepted, both when storing and when decoding a type name read
 * from the backend: records, strings, numbers, booleans, enums, UUIDs, java.time values, and
 * lists/sets/maps of them. A value of any other type is served uncached.
 */
/** A cached Spring cache value with its type, so it decodes without knowing the method that made it. */
record TypedValue(String type, byte[] payload) {

    private static final MsgpackSerializer SERIALIZER = MsgpackSerializer.INSTANCE;

    /** {@code value} with its type, or null when its type is not cacheable. */
    static TypedValue of(Object value) {
        String type = describe(value);
        return type == null ? null : new TypedValue(type, SERIALIZER.dumps(value));
    }

    /** The value back. @throws IllegalArgumentException for a type name outside the accepted types */
    Object value() {
        return SERIALIZER.loads(payload, parse(type));
    }

    private static String describe(Object value) {
        if (value instanceof List<?> list) {
            return generic(List.class, list);
        }
        if (value instanceof Set<?> set) {
            return generic(Set.class, set);
        }
        if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                return Map.class.getName();
            }
            Map.Entry<?, ?> first = map.entrySet().iterator().next();
            return allowed(first.getKey()) && allowed(first.getValue()) ? Map.class.getName() + "<"
                    + first.getKey().getClass().getName() + "," + first.getValue().getClass().getName() + ">" : null;
        }
        return allowed(value) ? value.getClass().getName() : null;
    }

    private static String generic(Class<?> raw, Collection<?> values) {
        if (values.isEmpty()) {
            return raw.getName();
        }
        Object first = values.iterator().next();
        for (Object element : values) {
            if (element == null || element.getClass() != first.getClass()) {
                return null;
            }
        }
        return allowed(first) ? raw.getName() + "<" + first.getClass().getName() + ">" : null;
    }

    private static boolean allowed(Object value) {
        return value != null && allowed(value.getClass());
    }

    private static boolean allowed(Class<?> type) {
        return type.isRecord() || type.isEnum() || type == String.class || type == Boolean.class
                || Number.class.isAssignableFrom(type) && (type.getName().startsWith("java.lang.")
                || type == BigDecimal.class || type == BigInteger.class)
                || type == UUID.class || type.getName().startsWith("java.time.");
    }

    private static Type parse(String type) {
        int open = type.indexOf('<');
        if (open < 0) {
            Class<?> raw = load(type);
            if (raw != List.class && raw != Set.class && raw != Map.class && !allowed(raw)) {
                throw new IllegalArgumentException("not a cacheable type: " + type);
            }
            return raw;
        }
        Class<?> raw = load(type.substring(0, open));
        if (raw != List.class && raw != Set.class && raw != Map.class) {
            throw new IllegalArgumentException("not a cacheable container: " + type);
        }
        Class<?>[] arguments = Arrays.stream(type.substring(open + 1, type.length() - 1).split(","))
                .map(TypedValue::element).toArray(Class<?>[]::new);
        return ResolvableType.forClassWithGenerics(raw, arguments).getType();
    }

    private static Class<?> element(String name) {
        Class<?> element = load(name);
        if (!allowed(element)) {
            throw new IllegalArgumentException("not a cacheable element type: " + name);
        }
        return element;
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, TypedValue.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("unknown cached type " + name, e);
        }
    }
}
