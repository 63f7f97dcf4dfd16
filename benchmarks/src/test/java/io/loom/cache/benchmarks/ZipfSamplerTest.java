package io.loom.cache.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ZipfSamplerTest {

    @Test
    void probabilities_sumToOne_andDecreaseWithRank() {
        ZipfSampler zipf = new ZipfSampler(1_000, 0.99);
        double sum = 0;
        for (int k = 0; k < 1_000; k++) {
            sum += zipf.probability(k);
            if (k > 0) {
                assertTrue(zipf.probability(k) < zipf.probability(k - 1), "rank " + k);
            }
        }
        assertEquals(1.0, sum, 1e-9);
    }

    @Test
    void sample_frequencies_matchProbabilities() {
        ZipfSampler zipf = new ZipfSampler(10_000, 0.99);
        Random random = new Random(1);
        int samples = 200_000;
        int[] counts = new int[10_000];
        for (int i = 0; i < samples; i++) {
            counts[zipf.sample(random)]++;
        }
        for (int k : new int[] {0, 1, 9, 99}) {
            double expected = zipf.probability(k) * samples;
            assertEquals(expected, counts[k], 5 * Math.sqrt(expected) + 1, "rank " + k);
        }
    }

    @Test
    void exponentZero_isUniform() {
        ZipfSampler zipf = new ZipfSampler(4, 0);
        for (int k = 0; k < 4; k++) {
            assertEquals(0.25, zipf.probability(k), 1e-12);
        }
    }

    @Test
    void constructor_rejectsEmptyRangeAndNegativeExponent() {
        assertThrows(IllegalArgumentException.class, () -> new ZipfSampler(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ZipfSampler(10, -0.5));
        assertThrows(IllegalArgumentException.class, () -> new ZipfSampler(10, Double.NaN));
    }
}
