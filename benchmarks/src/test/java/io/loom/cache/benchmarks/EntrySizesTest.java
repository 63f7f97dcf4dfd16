package io.loom.cache.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EntrySizesTest {

    @Test
    void sizes_msgpackArraySmallestThenFieldNamesThenJson() {
        Map<String, Integer> sizes = EntrySizes.sizes(BookRow.seeded(42));
        int array = sizes.get("msgpack (array)");
        int named = sizes.get("msgpack (field names)");
        int json = sizes.get("JSON");
        assertTrue(array < named && named < json, sizes.toString());
        assertTrue(array > 200, "the body alone is 200 characters: " + sizes);
    }

    @Test
    void rowCodec_roundTripsRowsAndPages() {
        RowCodec codec = new RowCodec();
        BookRow row = BookRow.seeded(7);
        assertEquals(row, codec.decode(codec.encode(row)));
        java.util.List<BookRow> page = java.util.List.of(BookRow.seeded(1), BookRow.seeded(21));
        assertEquals(page, codec.decodeList(codec.encodeList(page)));
        assertEquals(sizesOf(row), codec.encode(row).length);
    }

    private static int sizesOf(BookRow row) {
        return EntrySizes.sizes(row).get("msgpack (field names)");
    }
}
