package io.loom.cache.internal.codec;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Arrays;

/** A parameterized type built at run time, e.g. {@code PageResult<BookView>}, for decoding. */
public record GenericType(Class<?> raw, Type[] arguments) implements ParameterizedType {

    public static GenericType of(Class<?> raw, Type... arguments) {
        return new GenericType(raw, arguments.clone());
    }

    @Override
    public Type[] getActualTypeArguments() {
        return arguments.clone();
    }

    @Override
    public Type getRawType() {
        return raw;
    }

    @Override
    public Type getOwnerType() {
        return null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ParameterizedType that && raw.equals(that.getRawType())
                && that.getOwnerType() == null && Arrays.equals(arguments, that.getActualTypeArguments());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(arguments) ^ raw.hashCode();
    }
}
