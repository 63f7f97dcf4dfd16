package io.loom.cache.internal.codec;

import io.loom.cache.serialization.MsgpackSerializer;

import java.lang.reflect.Type;

/** {@link EntryCodec} through MessagePack, decoding to one declared type (never a type named by the bytes). */
public final class MsgpackCodec<V> implements EntryCodec<V> {

    private final MsgpackSerializer serializer;
    private final MsgpackSerializer.Decoder<V> decoder;
    private final boolean sharesValues;

    private MsgpackCodec(MsgpackSerializer serializer, Type type) {
        this.serializer = serializer;
        this.decoder = serializer.decoder(type);
        this.sharesValues = ImmutableTypes.isImmutable(type);
    }

    public static <V> MsgpackCodec<V> of(MsgpackSerializer serializer, Class<V> type) {
        return new MsgpackCodec<>(serializer, type);
    }

    /** A codec for any declared type, e.g. {@code List<BookView>} from a method's generic return type. */
    public static <V> MsgpackCodec<V> ofType(MsgpackSerializer serializer, Type type) {
        return new MsgpackCodec<>(serializer, type);
    }

    /** A codec for {@code raw<argument>}, e.g. {@code PageResult<BookView>}. */
    public static <V> MsgpackCodec<V> generic(MsgpackSerializer serializer, Class<?> raw, Class<?> argument) {
        return new MsgpackCodec<>(serializer, GenericType.of(raw, argument));
    }

    @Override
    public byte[] encode(V value) {
        return serializer.dumps(value);
    }

    @Override
    public V decode(byte[] payload) {
        return decoder.decode(payload);
    }

    @Override
    public boolean sharesValues() {
        return sharesValues;
    }
}
