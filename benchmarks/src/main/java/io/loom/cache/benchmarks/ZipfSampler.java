package io.loom.cache.benchmarks;

import java.util.Arrays;
import java.util.Random;

/**
 * Samples ranks {@code 0..n-1} with Zipf probabilities {@code P(k) ~ 1 / (k + 1)^exponent} (rank 0
 * the most popular), by binary search in a precomputed cumulative distribution. Immutable and
 * thread-safe; callers bring their own {@link Random}.
 */
public final class ZipfSampler {

    private final double[] cumulative;

    /**
     * @param n        number of items, at least 1
     * @param exponent skew, at least 0 (0 is uniform; YCSB uses 0.99)
     * @throws IllegalArgumentException if n or exponent is out of range
     */
    public ZipfSampler(int n, double exponent) {
        if (n < 1) {
            throw new IllegalArgumentException("item count must be at least 1: " + n);
        }
        if (!(exponent >= 0)) {
            throw new IllegalArgumentException("exponent must be at least 0: " + exponent);
        }
        cumulative = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1.0 / Math.pow(k + 1, exponent);
            cumulative[k] = sum;
        }
        for (int k = 0; k < n; k++) {
            cumulative[k] /= sum;
        }
        cumulative[n - 1] = 1.0;
    }

    /** A rank in {@code 0..n-1}. */
    public int sample(Random random) {
        double u = random.nextDouble();
        int i = Arrays.binarySearch(cumulative, u);
        return i >= 0 ? i : Math.min(-i - 1, cumulative.length - 1);
    }

    /** The probability of rank {@code k}. */
    public double probability(int k) {
        return k == 0 ? cumulative[0] : cumulative[k] - cumulative[k - 1];
    }
}
