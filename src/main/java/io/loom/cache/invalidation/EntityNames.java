package io.loom.cache.invalidation;

import java.util.Locale;
import java.util.Objects;

/**
 * The one normalization of entity names and ids used by every tag, key and event, so that the
 * repository that caches a row and the listener that sees it change always agree on its name.
 */
public final class EntityNames {

    private EntityNames() {
    }

    /**
     * Normalizes an entity name: the simple name of a possibly qualified class name, in lower snake
     * case ({@code com.acme.BookAuthor} and {@code BookAuthor} both give {@code book_author}).
     *
     * @throws IllegalArgumentException if the name is null or blank
     */
    public static String normalize(String entityName) {
        if (entityName == null || entityName.isBlank()) {
            throw new IllegalArgumentException("entity name must not be null or blank");
        }
        String simple = entityName.substring(entityName.lastIndexOf('.') + 1);
        simple = simple.substring(simple.lastIndexOf('$') + 1);
        StringBuilder out = new StringBuilder(simple.length() + 4);
        for (int i = 0; i < simple.length(); i++) {
            char c = simple.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0 && simple.charAt(i - 1) != '_') {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    /** Normalizes the entity name of a class. */
    public static String of(Class<?> entityClass) {
        Objects.requireNonNull(entityClass, "entityClass");
        return normalize(entityClass.getSimpleName());
    }

    /**
     * The canonical text of an id, as used in row tags and cache keys.
     *
     * @throws IllegalArgumentException if the id is null
     */
    public static String canonicalId(Object id) {
        if (id == null) {
            throw new IllegalArgumentException("id must not be null");
        }
        return id.toString();
    }
}
