package io.loom.cache.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one grammar of duration settings, for the core and its integrations: a number in a default
 * unit, {@code 500ms}/{@code 30s}/{@code 5m}/{@code 1h}/{@code 1d}, or ISO-8601 ({@code PT30S}).
 */
public final class Durations {

    private static final Pattern WITH_UNIT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * @param key             setting key, for error messages
     * @param raw             a Number, Duration or String
     * @param bareNumbersInMs true if a bare number means milliseconds, false for seconds
     * @throws CacheConfigException naming {@code key} and the value when it is no duration or negative
     */
    public static Duration parse(String key, Object raw, boolean bareNumbersInMs) {
        if (raw instanceof Duration d) {
            return d;
        }
        if (raw instanceof Number n) {
            return fromNumber(key, n.toString(), bareNumbersInMs);
        }
        if (raw instanceof String s) {
            String text = s.trim().toLowerCase(Locale.ROOT);
            if (text.matches("-?\\d+(\\.\\d+)?")) {
                return fromNumber(key, text, bareNumbersInMs);
            }
            Matcher m = WITH_UNIT.matcher(text);
            if (m.matches()) {
                double amount = Double.parseDouble(m.group(1));
                double millis = switch (m.group(2)) {
                    case "ms" -> amount;
                    case "s" -> amount * 1_000;
                    case "m" -> amount * 60_000;
                    case "h" -> amount * 3_600_000;
                    default -> amount * 86_400_000;
                };
                return Duration.ofMillis(Math.round(millis));
            }
            if (text.startsWith("-")) {
                throw new CacheConfigException(key, "must not be negative, got '" + s + "'");
            }
            try {
                return Duration.parse(s.trim().toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new CacheConfigException(key, "not a duration: '" + s
                        + "' (use a number, 500ms, 30s, 5m, 1h, 1d or ISO-8601 like PT30S)");
            }
        }
        throw new CacheConfigException(key, "not a duration: " + raw);
    }

    private static Duration fromNumber(String key, String text, boolean bareNumbersInMs) {
        double value = Double.parseDouble(text);
        if (value < 0) {
            throw new CacheConfigException(key, "must not be negative, got " + text);
        }
        return Duration.ofMillis(Math.round(bareNumbersInMs ? value : value * 1_000));
    }
}
