package io.loom.cache.internal.generation;

import io.loom.cache.invalidation.Fingerprint;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The byte layout of a stamped entry, shared by the Lua scripts and the in-process store:
 * {@code "LM1"}, a 4-byte big-endian header length, the header (a MessagePack array alternating
 * tag and generation strings), then the payload. The payload is never parsed here.
 */
public final class StampedEntryFormat {

    static final byte[] MAGIC = "LM1".getBytes(StandardCharsets.US_ASCII);
    private static final int PREFIX = MAGIC.length + 4;

    private StampedEntryFormat() {
    }

    public static byte[] encode(List<String> tags, List<String> generations, byte[] payload) {
        byte[] header;
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            packer.packArrayHeader(tags.size() * 2);
            for (int i = 0; i < tags.size(); i++) {
                packer.packString(tags.get(i));
                packer.packString(generations.get(i));
            }
            header = packer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ByteBuffer.allocate(PREFIX + header.length + payload.length)
                .put(MAGIC).putInt(header.length).put(header).put(payload).array();
    }

    /** The decoded entry, or null when the bytes are not a stamped entry. */
    public static Decoded decode(byte[] bytes) {
        if (bytes == null || bytes.length < PREFIX
                || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return null;
        }
        int headerLength = ByteBuffer.wrap(bytes, MAGIC.length, 4).getInt();
        if (headerLength < 0 || PREFIX + headerLength > bytes.length) {
            return null;
        }
        Fingerprint stamp = decodeHeader(bytes, PREFIX, headerLength);
        if (stamp == null) {
            return null;
        }
        return new Decoded(stamp, Arrays.copyOfRange(bytes, PREFIX + headerLength, bytes.length));
    }

    /** The stamp in a header (a MessagePack array alternating tags and generations), or null when malformed. */
    public static Fingerprint decodeHeader(byte[] bytes, int offset, int length) {
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(bytes, offset, length)) {
            int size = unpacker.unpackArrayHeader();
            if (size % 2 != 0) {
                return null;
            }
            List<String> tags = new ArrayList<>(size / 2);
            List<String> generations = new ArrayList<>(size / 2);
            for (int i = 0; i < size / 2; i++) {
                tags.add(unpacker.unpackString());
                generations.add(unpacker.unpackString());
            }
            return new Fingerprint(tags, generations);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    public record Decoded(Fingerprint stamp, byte[] payload) {
        public List<String> tags() {
            return stamp.tags();
        }

        public List<String> generations() {
            return stamp.generations();
        }
    }
}
