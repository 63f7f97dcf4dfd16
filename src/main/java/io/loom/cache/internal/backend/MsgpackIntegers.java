package io.loom.cache.internal.backend;

import io.loom.cache.serialization.SerializationException;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

import java.io.IOException;

/** Internal: a single MessagePack integer, as stored by a data-mode {@code incr}. */
final class MsgpackIntegers {

    private MsgpackIntegers() {
    }

    static byte[] encode(long value) {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            packer.packLong(value);
            return packer.toByteArray();
        } catch (IOException e) {
            throw new SerializationException("cannot encode integer " + value, e);
        }
    }

    /** @throws SerializationException unless the bytes are exactly one msgpack integer */
    static long decode(String key, byte[] data) {
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(data)) {
            if (!u.hasNext()) {
                throw notInteger(key, null);
            }
            ValueType type = u.getNextFormat().getValueType();
            long value;
            if (type == ValueType.INTEGER) {
                value = u.unpackLong();
            } else if (type == ValueType.FLOAT) {
                double d = u.unpackDouble();
                if (d != Math.rint(d) || Double.isInfinite(d)) {
                    throw notInteger(key, null);
                }
                value = (long) d;
            } else {
                throw notInteger(key, null);
            }
            if (u.hasNext()) {
                throw notInteger(key, null);
            }
            return value;
        } catch (IOException | MessagePackException e) {
            throw notInteger(key, e);
        }
    }

    private static SerializationException notInteger(String key, Exception cause) {
        return new SerializationException("value at key '" + key + "' is not a MessagePack integer", cause);
    }
}
