package io.loom.cache.invalidation;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

/**
 * Canonical text of a property value inside a value-scoped tag. Two values the database may treat
 * as equal must get the same text, or a write could miss a cached list: so strings are trimmed and
 * lower-cased (case-insensitive and pad-space collations), numbers lose their scale ({@code 1.50},
 * {@code 1.5} and {@code 1.5f} agree) and long texts are hashed. Merging distinct values only
 * costs precision, never correctness.
 */
public final class TagValues {

    /** The text used for SQL NULL. */
    public static final String NULL = "~null";
    private static final int MAX_PLAIN_LENGTH = 64;

    private TagValues() {
    }

    /** The canonical text of {@code value} (null allowed). */
    public static String canonical(Object value) {
        String text;
        if (value == null) {
            return NULL;
        } else if (value instanceof BigDecimal decimal) {
            text = decimal.signum() == 0 ? "0" : decimal.stripTrailingZeros().toPlainString();
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            text = Double.isFinite(d) ? canonical(BigDecimal.valueOf(d)) : Double.toString(d);
        } else if (value instanceof Number number && !(value instanceof BigInteger)) {
            text = Long.toString(number.longValue());
        } else if (value instanceof Enum<?> constant) {
            text = constant.name().toLowerCase(Locale.ROOT);
        } else if (value instanceof CharSequence || value instanceof Character) {
            text = value.toString().trim().toLowerCase(Locale.ROOT);
        } else {
            text = value.toString();
        }
        return text.length() <= MAX_PLAIN_LENGTH ? text : "#" + hash(text);
    }

    /** A short, URL-safe SHA-256 digest of {@code text}: 128 bits, base64url. */
    public static String hash(String text) {
        // digest() resets the per-thread instance, so it is ready for the next call.
        byte[] digest = SHA_256.get().digest(text.getBytes(StandardCharsets.UTF_8));
        return BASE64.encodeToString(java.util.Arrays.copyOf(digest, 16));
    }

    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

    /** One digest per thread: looking SHA-256 up in the providers on every key costs more than hashing it. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    });
}
