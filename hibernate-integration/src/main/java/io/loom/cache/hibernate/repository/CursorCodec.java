package io.loom.cache.hibernate.repository;

import io.loom.cache.repository.InvalidCursorException;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Opaque keyset cursors: Base64url (no padding) of a msgpack array {@code [version, query hash,
 * key values as text...]} followed by a 16-byte HMAC-SHA256 over it. The query hash binds the
 * cursor to the entity, filters and sort; the MAC rejects edits and foreign tokens.
 */
final class CursorCodec {

    private static final int VERSION = 1;
    private static final int MAC_BYTES = 16;

    private final byte[] key;
    private final String entityName;

    CursorCodec(String entityName, byte[] secret) {
        this.entityName = entityName;
        this.key = secret != null ? secret.clone()
                : sha256(("loom-cache-cursor:" + entityName).getBytes(StandardCharsets.UTF_8));
    }

    String encode(String queryShape, List<String> keyValues) {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            packer.packArrayHeader(2 + keyValues.size());
            packer.packInt(VERSION);
            byte[] hash = queryHash(queryShape);
            packer.packBinaryHeader(hash.length);
            packer.writePayload(hash);
            for (String v : keyValues) {
                if (v == null) {
                    packer.packNil();
                } else {
                    packer.packString(v);
                }
            }
            byte[] payload = packer.toByteArray();
            byte[] token = Arrays.copyOf(payload, payload.length + MAC_BYTES);
            System.arraycopy(mac(payload), 0, token, payload.length, MAC_BYTES);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode cursor", e);
        }
    }

    /**
     * The key values of a cursor issued for {@code queryShape}.
     *
     * @throws InvalidCursorException for garbage, tampered, foreign or other-query cursors
     */
    List<String> decode(String token, String queryShape, int expectedValues) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            throw new InvalidCursorException("cursor is not a valid token: '" + abbreviate(token) + "'", e);
        }
        if (raw.length <= MAC_BYTES) {
            throw new InvalidCursorException("cursor is not a valid token: '" + abbreviate(token) + "'");
        }
        byte[] payload = Arrays.copyOf(raw, raw.length - MAC_BYTES);
        byte[] mac = Arrays.copyOfRange(raw, raw.length - MAC_BYTES, raw.length);
        if (!MessageDigest.isEqual(mac, Arrays.copyOf(mac(payload), MAC_BYTES))) {
            throw new InvalidCursorException("cursor was tampered with or not issued for entity '" + entityName
                    + "': '" + abbreviate(token) + "'");
        }
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(payload)) {
            int size = unpacker.unpackArrayHeader();
            if (size < 2 || unpacker.unpackInt() != VERSION) {
                throw new InvalidCursorException("cursor has an unsupported format");
            }
            byte[] hash = unpacker.readPayload(unpacker.unpackBinaryHeader());
            if (!MessageDigest.isEqual(hash, queryHash(queryShape))) {
                throw new InvalidCursorException("cursor was issued for a different query (filters or sort) of entity '"
                        + entityName + "'");
            }
            if (size - 2 != expectedValues) {
                throw new InvalidCursorException("cursor carries " + (size - 2) + " key values, expected " + expectedValues);
            }
            List<String> values = new ArrayList<>(expectedValues);
            for (int i = 0; i < expectedValues; i++) {
                if (unpacker.tryUnpackNil()) {
                    values.add(null);
                } else {
                    values.add(unpacker.unpackString());
                }
            }
            return values;
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidCursorException ice) {
                throw ice;
            }
            throw new InvalidCursorException("cursor cannot be read: '" + abbreviate(token) + "'", e);
        }
    }

    private byte[] queryHash(String queryShape) {
        return Arrays.copyOf(sha256((entityName + "|" + queryShape).getBytes(StandardCharsets.UTF_8)), 12);
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return m.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static String abbreviate(String token) {
        return token.length() <= 40 ? token : token.substring(0, 37) + "...";
    }
}
