package io.loom.cache.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyStreamsTest {

    @Test
    void ids_areInRange_skewed_andDeterministic() {
        long[] ids = KeyStreams.ids(3);
        assertArrayEquals(ids, KeyStreams.ids(3));
        Set<Long> distinct = new HashSet<>();
        for (long id : ids) {
            assertTrue(id >= 1 && id <= BenchSettings.ROWS, "id " + id);
            distinct.add(id);
        }
        // Skewed: far fewer distinct ids than samples, yet a long tail is visited.
        assertTrue(distinct.size() > 1_000 && distinct.size() < KeyStreams.LENGTH / 4, "distinct " + distinct.size());
    }

    @Test
    void categories_coverEveryCategory() {
        Set<String> distinct = new HashSet<>(java.util.Arrays.asList(KeyStreams.categories(5)));
        assertEquals(BenchSettings.CATEGORIES, distinct.size());
    }

    @Test
    void operations_haveTheRequestedMix() {
        byte[] ops = KeyStreams.operations(9, 5, 50);
        int[] counts = new int[3];
        for (byte op : ops) {
            counts[op]++;
        }
        double n = ops.length;
        assertEquals(0.05, counts[KeyStreams.UPDATE] / n, 0.005);
        assertEquals(0.475, counts[KeyStreams.LIST] / n, 0.01);
        assertEquals(0.475, counts[KeyStreams.FIND] / n, 0.01);
    }
}
