package io.loom.cache.hibernate.reliability;

import io.loom.cache.hibernate.e2e.LoomTestUnit;
import io.loom.cache.hibernate.model.Book;
import io.loom.cache.hibernate.model.Views.BookView;
import io.loom.cache.repository.FilterParams;
import io.loom.cache.repository.PageParams;
import io.loom.cache.repository.PageResult;
import io.loom.cache.repository.QuerySpec;
import io.loom.cache.stats.CacheStats;
import io.loom.cache.testing.RedisTestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Corrupt and foreign bytes under Loom keys, oversize values, hostile field values and keys. */
class HostileInputTest {

    private static LoomTestUnit unit;

    @BeforeAll
    static void start() {
        // Without a near cache every read looks at the bytes under the entry key; a node that keeps
        // the decoded value would not read them until the value's stamp moves.
        unit = LoomTestUnit.h2OnRedis(HostileInputTest.class, Map.of("loom.cache.near-cache.mode", "off"));
    }

    @AfterAll
    static void stop() {
        unit.close();
    }

    private static RedissonClient redis() {
        return RedisTestNamespace.client();
    }

    private static List<String> keys(String pattern) {
        List<String> keys = new ArrayList<>();
        try (Stream<String> stream = redis().getKeys().getKeysStreamByPattern(pattern, 100)) {
            stream.forEach(keys::add);
        }
        return keys;
    }

    /** Caches book {@code index} and returns its Redis entry key (the only one of that lookup). */
    private static String cachedEntryKey(int index) {
        List<String> before = keys(unit.namespace().namespace() + ":book:id:*");
        unit.books.getById(unit.bookId(index)).orElseThrow();
        unit.stats("book"); // statistics wait for the read's store, answered after the read returned
        List<String> after = keys(unit.namespace().namespace() + ":book:id:*");
        after.removeAll(before);
        assertEquals(1, after.size(), "one new entry key");
        return after.get(0);
    }

    private static void overwrite(String key, byte[] bytes) {
        redis().getBucket(key, ByteArrayCodec.INSTANCE).set(bytes);
    }

    private void assertMissThenReplaced(int index, BookView expected) {
        CacheStats before = unit.stats("book");
        assertEquals(expected, unit.books.getById(unit.bookId(index)).orElseThrow());
        CacheStats step = unit.stats("book").minus(before);
        assertEquals(0, step.hits(), "bad bytes are never a hit");
        assertEquals(1, step.misses());
        assertEquals(1, step.stores(), "the entry is replaced");
        assertEquals(expected, unit.books.getById(unit.bookId(index)).orElseThrow());
        assertEquals(1, unit.stats("book").minus(before).hits(), "the replacement is served");
    }

    @Test
    void foreignBytesUnderEntryKey_treatedAsMissAndReplaced() {
        String key = cachedEntryKey(10);
        BookView expected = unit.books.getById(unit.bookId(10)).orElseThrow();
        overwrite(key, "hello, not a loom entry".getBytes(StandardCharsets.UTF_8));
        assertMissThenReplaced(10, expected);
    }

    @Test
    void loomMagicWithTruncatedHeader_treatedAsMissAndReplaced() {
        String key = cachedEntryKey(11);
        BookView expected = unit.books.getById(unit.bookId(11)).orElseThrow();
        overwrite(key, new byte[] {'L', 'M', '1', 0, 0, 0x7f, (byte) 0xff, 1, 2});
        assertMissThenReplaced(11, expected);
    }

    @Test
    void validStampWithUndecodablePayload_treatedAsMissAndReplaced() {
        String key = cachedEntryKey(12);
        BookView expected = unit.books.getById(unit.bookId(12)).orElseThrow();
        byte[] entry = redis().<byte[]>getBucket(key, ByteArrayCodec.INSTANCE).get();
        int headerLength = ((entry[3] & 0xff) << 24) | ((entry[4] & 0xff) << 16) | ((entry[5] & 0xff) << 8)
                | (entry[6] & 0xff);
        byte[] corrupt = Arrays.copyOf(entry, 7 + headerLength + 2);
        corrupt[7 + headerLength] = (byte) 0xc1; // a byte MessagePack never uses
        corrupt[8 + headerLength] = (byte) 0xc1;
        overwrite(key, corrupt);
        assertMissThenReplaced(12, expected);
    }

    @Test
    void valueOverMaxValueBytes_notCachedAndCounted_neverAnError() {
        try (LoomTestUnit small = LoomTestUnit.h2OnRedis(unit.namespace().child("small"),
                Map.of("loom.cache.max-value-bytes", "300"), true)) {
            CacheStats before = small.stats("book");
            PageResult<BookView> first = small.books.listPaginated(PageParams.of(1, 20), FilterParams.none());
            PageResult<BookView> second = small.books.listPaginated(PageParams.of(1, 20), FilterParams.none());
            assertEquals(first, second);
            assertEquals(20, first.items().size());
            CacheStats step = small.stats("book").minus(before);
            assertEquals(2, step.oversizeSkips());
            assertEquals(0, step.hits());
            assertEquals(0, step.stores());
            // A single small row still fits and is cached.
            small.books.getById(small.bookId(0));
            small.books.getById(small.bookId(0));
            assertEquals(1, small.stats("book").minus(before).hits());
        }
    }

    @Test
    void hostileFilterValues_neverShareOrAddressAnotherEntry() {
        List<String> values = List.of("a:b", "a", "a*", "*", "{a}", "{a", "a b", "a\u0000b", "\u00fc\u65e5\u672c",
                "x".repeat(250), "x".repeat(249) + "y", "book:id:*", "a\nb");
        unit.emf().runInTransaction(em -> {
            for (int i = 0; i < values.size(); i++) {
                em.find(Book.class, unit.bookId(20 + i)).setTitle(values.get(i));
            }
        });
        CacheStats before = unit.stats("book");
        for (String value : values) {
            var result = (PageResult<BookView>) unit.books.listWithQuery(
                    QuerySpec.where("title").eq(value).orderBy("id").page(1, 5));
            assertEquals(1, result.items().size(), "exactly its own row for " + abbreviate(value));
            assertEquals(value, result.items().get(0).title());
        }
        CacheStats firstRound = unit.stats("book").minus(before);
        assertEquals(values.size(), firstRound.misses(), "every value has its own entry");
        assertEquals(0, firstRound.hits());
        for (String value : values) {
            var result = (PageResult<BookView>) unit.books.listWithQuery(
                    QuerySpec.where("title").eq(value).orderBy("id").page(1, 5));
            assertEquals(value, result.items().get(0).title());
        }
        assertEquals(values.size(), unit.stats("book").minus(before).hits());

        // Changing the row titled "*" invalidates that list only: "*" addresses no other value.
        unit.emf().runInTransaction(em -> em.find(Book.class, unit.bookId(20 + values.indexOf("*"))).setPrice(
                new java.math.BigDecimal("1.23")));
        CacheStats afterWrite = unit.stats("book");
        for (String value : values) {
            unit.books.listWithQuery(QuerySpec.where("title").eq(value).orderBy("id").page(1, 5));
        }
        CacheStats third = unit.stats("book").minus(afterWrite);
        assertEquals(1, third.misses(), "only the list holding the changed row: " + third);
        assertEquals(values.size() - 1, third.hits());

        // Entry keys are digests: no value text appears in any key.
        Pattern shape = Pattern.compile(Pattern.quote(unit.namespace().namespace()) + ":book:(id|page|query):[A-Za-z0-9_-]+");
        for (String key : keys(unit.namespace().namespace() + ":book:*")) {
            assertTrue(shape.matcher(key).matches(), "entry key shape: " + key);
        }
    }

    private static String abbreviate(String value) {
        return value.length() > 20 ? value.substring(0, 20) + "..." : value;
    }
}
