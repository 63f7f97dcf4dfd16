package io.loom.cache.internal.codec;

import io.loom.cache.invalidation.TagValues;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.HashSet;
import java.util.Set;

/**
 * A short digest of an output type's shape: record component names and types, nested records and
 * enum constants, recursively. A deploy that adds, removes, renames or retypes a field changes it,
 * so entries written by the old code live under other keys and simply miss.
 */
public final class SchemaVersion {

    private SchemaVersion() {
    }

    public static String of(Class<?> type) {
        StringBuilder shape = new StringBuilder();
        describe(type, shape, new HashSet<>());
        return TagValues.hash(shape.toString()).substring(0, 12);
    }

    private static void describe(Type type, StringBuilder out, Set<Type> seen) {
        if (type instanceof ParameterizedType parameterized) {
            describe(parameterized.getRawType(), out, seen);
            out.append('<');
            for (Type argument : parameterized.getActualTypeArguments()) {
                describe(argument, out, seen);
                out.append(',');
            }
            out.append('>');
            return;
        }
        if (!(type instanceof Class<?> cls)) {
            out.append(type.getTypeName());
            return;
        }
        out.append(cls.getName());
        if (!seen.add(cls)) {
            return;
        }
        if (cls.isRecord()) {
            out.append('{');
            for (RecordComponent component : cls.getRecordComponents()) {
                out.append(component.getName()).append(':');
                describe(component.getGenericType(), out, seen);
                out.append(';');
            }
            out.append('}');
        } else if (cls.isEnum()) {
            out.append('{');
            for (Object constant : cls.getEnumConstants()) {
                out.append(((Enum<?>) constant).name()).append(';');
            }
            out.append('}');
        }
    }
}
