package io.loom.cache.repository;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.TreeSet;

/** Unambiguous text forms of fields and values, shared by the value types' canonical() methods. */
final class Canonical {

    private Canonical() {
    }

    static void requireField(String field) {
        if (field == null || field.isBlank()) {
            throw new InvalidQueryException("field name must not be null or blank");
        }
    }

    /** Escapes the separators used in canonical forms. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' || c == ':' || c == ',' || c == '&' || c == '[' || c == ']' || c == '|' || c == '=') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** A value with its kind, so that "42" (text) and 42 (number) differ. */
    static String value(Object value) {
        if (value == null) {
            return "~";
        }
        if (value instanceof String s) {
            return "s'" + escape(s);
        }
        if (value instanceof BigDecimal d) {
            return "n'" + d.stripTrailingZeros().toPlainString();
        }
        if (value instanceof Number n) {
            return "n'" + n;
        }
        if (value instanceof Boolean b) {
            return "b'" + b;
        }
        if (value instanceof Enum<?> e) {
            return "e'" + escape(e.name());
        }
        return escape(value.getClass().getSimpleName()) + "'" + escape(value.toString());
    }

    /** A sorted, de-duplicated set of values. */
    static String valueSet(Collection<?> values) {
        TreeSet<String> sorted = new TreeSet<>();
        for (Object v : values) {
            sorted.add(value(v));
        }
        return "[" + String.join(",", sorted) + "]";
    }
}
