package io.loom.cache.benchmarks;

/** Deterministic content of the seeded rows: the same id always gets the same values. */
final class BookFixture {

    private static final String WORDS =
            "loom cache keeps every cached read correct by bumping generation counters at commit "
            + "so that a reader never sees a row older than the last committed write to it ";

    private BookFixture() {
    }

    /** {@code category-00} .. {@code category-19}. */
    static String category(long id) {
        return categoryName((int) (id % BenchSettings.CATEGORIES));
    }

    /** Formatted once: the list benchmarks ask for a name on every operation. */
    private static final String[] CATEGORY_NAMES = new String[BenchSettings.CATEGORIES];

    static {
        for (int i = 0; i < CATEGORY_NAMES.length; i++) {
            CATEGORY_NAMES[i] = String.format("category-%02d", i);
        }
    }

    static String categoryName(int index) {
        return CATEGORY_NAMES[index];
    }

    /** Titles sort in an order unrelated to ids, so the list scenario really sorts. */
    static String title(long id) {
        long scrambled = (id * 7_919L) % 100_003L;
        return String.format("Title %06d of book %d", scrambled, id);
    }

    /** A 200-character body, rotated per id. */
    static String body(long id) {
        int start = (int) (id % WORDS.length());
        String twice = WORDS + WORDS + WORDS;
        return twice.substring(start, start + 200);
    }
}
