package io.loom.cache.benchmarks;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/**
 * Stored size of one row (and of one 20-row page) in each encoding: msgpack with field names
 * (what {@link RowCodec} and the raw floor store), msgpack as a positional array, JSON, and Java
 * serialization. Deterministic; needs no services.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.loom.cache.benchmarks.EntrySizes
 * </pre>
 */
public final class EntrySizes {

    private EntrySizes() {
    }

    /** Encoding name to encoded size of {@code value}, in bytes, in a stable order. */
    static Map<String, Integer> sizes(Object value) {
        ObjectMapper msgpackArray = new ObjectMapper(new MessagePackFactory());
        msgpackArray.configOverride(BookRow.class).setFormat(JsonFormat.Value.forShape(JsonFormat.Shape.ARRAY));
        Map<String, Integer> sizes = new LinkedHashMap<>();
        sizes.put("msgpack (field names)", write(new ObjectMapper(new MessagePackFactory()), value));
        sizes.put("msgpack (array)", write(msgpackArray, value));
        sizes.put("JSON", write(new ObjectMapper(), value));
        sizes.put("Java serialization", javaSerialized(value));
        sizes.put("Loom payload (MsgpackSerializer, before the stamp header)", loomPayload(value));
        return sizes;
    }

    public static void main(String[] args) {
        BookRow row = BookRow.seeded(42);
        List<BookRow> page = new java.util.ArrayList<>();
        for (long id = 2; page.size() < BenchSettings.LIST_LIMIT; id += BenchSettings.CATEGORIES) {
            page.add(BookRow.seeded(id));
        }
        Map<String, Integer> one = sizes(row);
        Map<String, Integer> twenty = sizes(page);
        System.out.println("| encoding | one row (bytes) | 20-row page (bytes) |");
        System.out.println("|---|---|---|");
        one.forEach((name, size) -> System.out.printf(Locale.ROOT, "| %s | %d | %d |%n", name, size, twenty.get(name)));
    }

    private static int write(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsBytes(value).length;
        } catch (JsonProcessingException e) {
            throw new BenchException("cannot encode " + value, e);
        }
    }

    /** What Loom's serializer makes of the value: a row, or a page as the first-page CursorResult Loom caches. */
    private static int loomPayload(Object value) {
        Object cached = value instanceof List<?> list
                ? new io.loom.cache.repository.CursorResult<>(list, null, false) : value;
        return io.loom.cache.serialization.MsgpackSerializer.INSTANCE.dumps(cached).length;
    }

    private static int javaSerialized(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value instanceof List<?> list ? new java.util.ArrayList<>(list) : value);
        } catch (IOException e) {
            throw new BenchException("cannot serialize " + value, e);
        }
        return bytes.size();
    }
}
