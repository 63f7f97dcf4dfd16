package io.loom.cache.testing;

import io.loom.cache.internal.codec.EntryCodec;

import java.nio.charset.StandardCharsets;

/**
 * Caches text as UTF-8 bytes, so a test can read or plant an entry's payload by hand. A payload
 * whose text starts with {@code "corrupt"} does not decode (it throws, as a damaged entry would),
 * which lets a test store a corrupt entry through the normal store path.
 */
public final class TextCodec implements EntryCodec<String> {

    /** The one instance; stateless. */
    public static final TextCodec INSTANCE = new TextCodec();

    private TextCodec() {
    }

    @Override
    public byte[] encode(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String decode(byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8);
        if (text.startsWith("corrupt")) {
            throw new IllegalArgumentException("not a value: " + text);
        }
        return text;
    }
}
