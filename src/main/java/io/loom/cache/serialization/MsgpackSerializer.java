package io.loom.cache.serialization;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.msgpack.jackson.dataformat.MessagePackMapper;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Encodes values to MessagePack and back, through Jackson's object mapping.
 *
 * <p>Supported: records (also nested), POJOs with a default constructor and accessors,
 * {@code List}/{@code Set}/{@code Map}, primitives and their boxes, {@code String},
 * {@code BigDecimal} and {@code BigInteger} (stored as decimal strings, so no precision or scale is
 * lost), {@code UUID}, enums (by name), {@code Instant}, {@code LocalDate}, {@code LocalDateTime},
 * {@code OffsetDateTime} (ISO-8601 strings, offset preserved), {@code byte[]} (msgpack binary) and
 * nulls.
 *
 * <p>Safety: no Java serialization and no polymorphic default typing; the bytes never choose which
 * class gets instantiated, only the caller's requested type does. Unknown properties and trailing
 * bytes are rejected, so an entry written for another shape of a class decodes as an error rather
 * than as a silently wrong object.
 *
 * <p>Thread-safe and cheap to share; {@link #INSTANCE} is the default.
 */
public final class MsgpackSerializer {

    /** Name of this serializer in configuration ({@code serializer: msgpack}). */
    public static final String NAME = "msgpack";

    /** A shared instance. */
    public static final MsgpackSerializer INSTANCE = new MsgpackSerializer();

    private final ObjectMapper mapper;
    private final Map<Class<?>, Decoder<?>> classDecoders = new ConcurrentHashMap<>();

    public MsgpackSerializer() {
        MessagePackMapper m = new MessagePackMapper();
        m.handleBigIntegerAndBigDecimalAsString();
        m.registerModule(new JavaTimeModule());
        m.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        m.disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
        m.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        m.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        this.mapper = m;
    }

    /**
     * Encodes a value.
     *
     * @param value any supported value, may be null (encoded as msgpack nil)
     * @return the encoded bytes, never null
     * @throws SerializationException if the value cannot be encoded
     */
    public byte[] dumps(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new SerializationException("cannot encode value of type "
                    + (value == null ? "null" : value.getClass().getName()) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Decodes bytes into plain Java values: maps, lists, strings, numbers, booleans, byte arrays.
     *
     * @param data encoded bytes, may be null
     * @return the decoded value, null for null input or msgpack nil
     * @throws SerializationException if the bytes are not valid MessagePack
     */
    public Object loads(byte[] data) {
        return loads(data, Object.class);
    }

    /**
     * Decodes bytes into the requested type.
     *
     * @param data encoded bytes, may be null
     * @param type the target class, never null
     * @return the decoded value, null for null input or msgpack nil
     * @throws SerializationException if the bytes are corrupt or do not describe {@code type}
     */
    public <T> T loads(byte[] data, Class<T> type) {
        Objects.requireNonNull(type, "type");
        return loads(data, (Type) type);
    }

    /**
     * Decodes bytes into a possibly generic type, such as a {@code ParameterizedType} describing
     * {@code List<User>}.
     *
     * @throws SerializationException if the bytes are corrupt or do not describe {@code type}
     */
    @SuppressWarnings("unchecked")
    public <T> T loads(byte[] data, Type type) {
        Objects.requireNonNull(type, "type");
        if (type instanceof Class<?> cls) {
            // Classes are few (value and counter types): one decoder each, built on first use.
            return (T) classDecoders.computeIfAbsent(cls, this::decoder).decode(data);
        }
        return this.<T>decoder(type).decode(data);
    }

    /**
     * A decoder bound to one possibly generic type: the type is resolved once, so repeated
     * decoding skips that work. Decodes exactly as {@link #loads(byte[], Type)}.
     *
     * @throws NullPointerException if {@code type} is null
     */
    public <T> Decoder<T> decoder(Type type) {
        Objects.requireNonNull(type, "type");
        JavaType javaType = mapper.getTypeFactory().constructType(type);
        return new Decoder<>(mapper.readerFor(javaType), javaType);
    }

    /**
     * Decodes bytes into one type, in a single pass that also rejects empty input and trailing
     * bytes. Thread-safe; obtain one from {@link #decoder(Type)}.
     */
    public static final class Decoder<T> {

        private final ObjectReader reader;
        private final JavaType type;

        private Decoder(ObjectReader reader, JavaType type) {
            this.reader = reader;
            this.type = type;
        }

        /*
         * MessagePack's parser counts the bytes it consumed in its location's offset; reading past
         * the value to look for trailing bytes would report the end of input as an EOF exception,
         * which costs more than the decoding itself.
         */
        /**
         * @param data encoded bytes, may be null
         * @return the decoded value, null for null input or msgpack nil
         * @throws SerializationException if the bytes are empty, corrupt, followed by trailing
         *                                bytes, or do not describe the type
         */
        public T decode(byte[] data) {
            if (data == null) {
                return null;
            }
            if (data.length == 0) {
                throw new SerializationException("cannot decode empty input");
            }
            try (JsonParser parser = reader.createParser(data)) {
                if (parser.nextToken() == null) {
                    throw new SerializationException("cannot decode empty input");
                }
                T value = reader.readValue(parser);
                if (parser.currentLocation().getCharOffset() != data.length) {
                    throw new SerializationException("cannot decode " + data.length
                            + " bytes: trailing bytes after the first value");
                }
                return value;
            } catch (SerializationException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("cannot decode " + data.length + " bytes as "
                        + type.toCanonical() + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Converts an already-decoded plain value (for example the result of {@link #loads(byte[])})
     * into the requested type.
     *
     * @throws SerializationException if the value does not describe {@code type}
     */
    public <T> T convert(Object value, Class<T> type) {
        Objects.requireNonNull(type, "type");
        if (value == null || type.isInstance(value)) {
            return type.cast(value);
        }
        return loads(dumps(value), type);
    }
}
