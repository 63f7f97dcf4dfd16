package io.loom.cache.hibernate.repository;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.UUID;

/**
 * Converts query values (often text from a URL) to an attribute's Java type, and sort values to
 * and from text for cursors. One conversion for filtering, normalizing and cursors.
 */
final class ValueConverter {

    private static final Map<Class<?>, Class<?>> BOXES = Map.of(
            int.class, Integer.class, long.class, Long.class, short.class, Short.class,
            byte.class, Byte.class, double.class, Double.class, float.class, Float.class,
            boolean.class, Boolean.class, char.class, Character.class);

    private ValueConverter() {
    }

    static Class<?> box(Class<?> type) {
        return type.isPrimitive() ? BOXES.get(type) : type;
    }

    /**
     * Converts {@code value} to {@code type}.
     *
     * @throws IllegalArgumentException naming the value and type when it cannot be converted
     */
    static Object convert(Object value, Class<?> type) {
        Class<?> target = box(type);
        if (value == null || target.isInstance(value)) {
            return value;
        }
        try {
            if (value instanceof String text) {
                return fromText(text, target);
            }
            if (value instanceof Number n && Number.class.isAssignableFrom(target)) {
                return fromNumber(n, target);
            }
        } catch (ArithmeticException | IllegalArgumentException | java.time.DateTimeException e) {
            throw new IllegalArgumentException("cannot convert " + describe(value) + " to " + target.getSimpleName(), e);
        }
        throw new IllegalArgumentException("cannot convert " + describe(value) + " to " + target.getSimpleName());
    }

    /** Text form that {@link #convert} parses back to an equal value. */
    static String toText(Object value) {
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return value.toString();
    }

    private static String describe(Object value) {
        return "'" + value + "' (" + value.getClass().getSimpleName() + ")";
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object fromText(String text, Class<?> target) {
        String t = text.trim();
        if (target == String.class) {
            return text;
        }
        if (target == Long.class) {
            return Long.valueOf(t);
        }
        if (target == Integer.class) {
            return Integer.valueOf(t);
        }
        if (target == Short.class) {
            return Short.valueOf(t);
        }
        if (target == Byte.class) {
            return Byte.valueOf(t);
        }
        if (target == Double.class) {
            return Double.valueOf(t);
        }
        if (target == Float.class) {
            return Float.valueOf(t);
        }
        if (target == BigDecimal.class) {
            return new BigDecimal(t);
        }
        if (target == BigInteger.class) {
            return new BigInteger(t);
        }
        if (target == Boolean.class) {
            if (t.equalsIgnoreCase("true")) {
                return Boolean.TRUE;
            }
            if (t.equalsIgnoreCase("false")) {
                return Boolean.FALSE;
            }
            throw new IllegalArgumentException("not a boolean: " + text);
        }
        if (target == Character.class && t.length() == 1) {
            return t.charAt(0);
        }
        if (target == UUID.class) {
            return UUID.fromString(t);
        }
        if (target == LocalDate.class) {
            return LocalDate.parse(t);
        }
        if (target == LocalDateTime.class) {
            return LocalDateTime.parse(t);
        }
        if (target == LocalTime.class) {
            return LocalTime.parse(t);
        }
        if (target == Instant.class) {
            return Instant.parse(t);
        }
        if (target == OffsetDateTime.class) {
            return OffsetDateTime.parse(t);
        }
        if (target == ZonedDateTime.class) {
            return ZonedDateTime.parse(t);
        }
        if (target.isEnum()) {
            return Enum.valueOf((Class<Enum>) target, t);
        }
        throw new IllegalArgumentException("no text conversion to " + target.getSimpleName());
    }

    private static Object fromNumber(Number n, Class<?> target) {
        BigDecimal exact = n instanceof BigDecimal d ? d
                : n instanceof BigInteger i ? new BigDecimal(i)
                : (n instanceof Double || n instanceof Float) ? BigDecimal.valueOf(n.doubleValue())
                : BigDecimal.valueOf(n.longValue());
        if (target == Long.class) {
            return exact.longValueExact();
        }
        if (target == Integer.class) {
            return exact.intValueExact();
        }
        if (target == Short.class) {
            return exact.shortValueExact();
        }
        if (target == Byte.class) {
            return exact.byteValueExact();
        }
        if (target == BigDecimal.class) {
            return exact;
        }
        if (target == BigInteger.class) {
            return exact.toBigIntegerExact();
        }
        if (target == Double.class) {
            return exact.doubleValue();
        }
        if (target == Float.class) {
            return exact.floatValue();
        }
        throw new IllegalArgumentException("no numeric conversion to " + target.getSimpleName());
    }
}
