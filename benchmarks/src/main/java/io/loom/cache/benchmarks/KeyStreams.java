package io.loom.cache.benchmarks;

import java.util.Random;

/**
 * Precomputed, deterministic key and operation sequences (Caffeine's {@code GetPutBenchmark}
 * style: sampling cost stays out of the measured path). Ranks are mapped to ids and categories
 * through one fixed permutation, so every thread shares the same hot set but hot ids are spread
 * over the table.
 */
final class KeyStreams {

    /** Zipf exponent of ids and categories (YCSB's default). */
    static final double EXPONENT = 0.99;
    /** Length of each per-thread sequence; a power of two. */
    static final int LENGTH = 1 << 16;

    static final byte FIND = 0;
    static final byte LIST = 1;
    static final byte UPDATE = 2;

    private static final long[] ID_OF_RANK = permutation(BenchSettings.ROWS, 1L, 42L);
    private static final long[] CATEGORY_OF_RANK = permutation(BenchSettings.CATEGORIES, 0L, 7L);

    private KeyStreams() {
    }

    /** Zipf-distributed ids in {@code 1..ROWS}. */
    static long[] ids(long seed) {
        return sample(ID_OF_RANK, seed);
    }

    /** Zipf-distributed category names. */
    static String[] categories(long seed) {
        long[] indexes = sample(CATEGORY_OF_RANK, seed ^ 0x9E3779B97F4A7C15L);
        String[] names = new String[indexes.length];
        for (int i = 0; i < indexes.length; i++) {
            names[i] = BookFixture.categoryName((int) indexes[i]);
        }
        return names;
    }

    /**
     * Operations: {@code updatePercent}% {@link #UPDATE}, the remaining reads split
     * {@code listShareOfReads}% {@link #LIST} and the rest {@link #FIND}.
     */
    static byte[] operations(long seed, int updatePercent, int listShareOfReads) {
        Random random = new Random(seed ^ 0xC2B2AE3D27D4EB4FL);
        byte[] ops = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            if (random.nextInt(100) < updatePercent) {
                ops[i] = UPDATE;
            } else {
                ops[i] = random.nextInt(100) < listShareOfReads ? LIST : FIND;
            }
        }
        return ops;
    }

    private static long[] sample(long[] valueOfRank, long seed) {
        ZipfSampler zipf = new ZipfSampler(valueOfRank.length, EXPONENT);
        Random random = new Random(seed);
        long[] out = new long[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            out[i] = valueOfRank[zipf.sample(random)];
        }
        return out;
    }

    private static long[] permutation(int n, long first, long seed) {
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = first + i;
        }
        Random random = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
        return values;
    }
}
