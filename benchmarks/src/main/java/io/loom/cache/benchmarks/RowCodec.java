package io.loom.cache.benchmarks;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/**
 * msgpack encoding of rows and row lists (jackson-dataformat-msgpack, records as maps with field
 * names): the bytes the raw-Redis floor stores and reads. Thread-safe; throws {@link BenchException}
 * when bytes do not decode.
 */
public final class RowCodec {

    private static final TypeReference<List<BookRow>> ROW_LIST = new TypeReference<>() {
    };

    private final ObjectMapper mapper = new ObjectMapper(new MessagePackFactory());

    public byte[] encode(BookRow row) {
        return write(row);
    }

    public byte[] encodeList(List<BookRow> rows) {
        return write(rows);
    }

    public BookRow decode(byte[] bytes) {
        try {
            return mapper.readValue(bytes, BookRow.class);
        } catch (IOException e) {
            throw new BenchException("cannot decode a row from " + bytes.length + " msgpack bytes", e);
        }
    }

    public List<BookRow> decodeList(byte[] bytes) {
        try {
            return mapper.readValue(bytes, ROW_LIST);
        } catch (IOException e) {
            throw new BenchException("cannot decode a row list from " + bytes.length + " msgpack bytes", e);
        }
    }

    private byte[] write(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new BenchException("cannot encode " + value, e);
        }
    }
}
