package io.loom.cache.repository;

/**
 * An explicit "set this field to this value" in a partial update, the only way to set a field to
 * null. In an update record, a component of type {@code Patch<T>} means: {@code null} - leave the
 * field as it is; {@code Patch.of(v)} - set it to {@code v}; {@code Patch.toNull()} - set it to
 * null. Immutable.
 *
 * @param value the new value, possibly null
 */
public record Patch<T>(T value) {

    private static final Patch<?> TO_NULL = new Patch<>(null);

    /** Sets the field to {@code value} (null allowed). */
    public static <T> Patch<T> of(T value) {
        return new Patch<>(value);
    }

    /** Sets the field to null. */
    @SuppressWarnings("unchecked")
    public static <T> Patch<T> toNull() {
        return (Patch<T>) TO_NULL;
    }
}
