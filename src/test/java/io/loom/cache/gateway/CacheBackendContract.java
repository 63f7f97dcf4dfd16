package io.loom.cache.gateway;

import io.loom.cache.serialization.MsgpackSerializer;
import io.loom.cache.serialization.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The contract every {@link CacheBackend} passes, exercised through {@link CacheGateway} in both
 * modes. Subclasses supply the backend; backend-specific behaviour (expiry clocks, eviction,
 * namespaces) is tested in the subclasses.
 */
public abstract class CacheBackendContract {

    public record Person(String name, int age, List<String> tags) {
    }

    private final List<CacheBackend> opened = new ArrayList<>();

    /** A new, empty backend in {@code mode}; closed by the contract after each test. */
    protected abstract CacheBackend createBackend(GatewayMode mode);

    protected final CacheBackend backend(GatewayMode mode) {
        CacheBackend b = createBackend(mode);
        opened.add(b);
        return b;
    }

    protected final CacheGateway gateway(GatewayMode mode) {
        return CacheGateway.over(backend(mode), mode == GatewayMode.DATA ? MsgpackSerializer.INSTANCE : null);
    }

    @AfterEach
    void closeBackends() {
        for (CacheBackend b : opened) {
            b.clear();
            b.close();
        }
        opened.clear();
    }

    private static Object sample(GatewayMode mode, int i) {
        return mode == GatewayMode.DATA ? new Person("p" + i, 20 + i, List.of("t" + i)) : (long) i * 7;
    }

    private static Class<?> sampleType(GatewayMode mode) {
        return mode == GatewayMode.DATA ? Person.class : Long.class;
    }

    @ParameterizedTest
    @EnumSource(GatewayMode.class)
    void getValue_onMissingKey_returnsNull(GatewayMode mode) {
        CacheGateway g = gateway(mode);
        assertNull(g.getValue("missing"));
        assertNull(g.getValue("missing", sampleType(mode)));
        assertFalse(g.exists("missing"));
    }

    @ParameterizedTest
    @EnumSource(GatewayMode.class)
    void setValue_thenGetValue_returnsEqualValue(GatewayMode mode) {
        CacheGateway g = gateway(mode);
        assertEquals(mode, g.mode());
        assertTrue(g.setValue("k", sample(mode, 1), Duration.ofMinutes(5)));
        assertEquals(sample(mode, 1), g.getValue("k", sampleType(mode)));
        assertTrue(g.exists("k"));
    }

    @ParameterizedTest
    @EnumSource(GatewayMode.class)
    void setValue_onExistingKey_overwrites(GatewayMode mode) {
        CacheGateway g = gateway(mode);
        g.setValue("k", sample(mode, 1));
        g.setValue("k", sample(mode, 2), Duration.ofMinutes(1));
        assertEquals(sample(mode, 2), g.getValue("k", sampleType(mode)));
    }

    @Test
    void getValue_untypedInDataMode_returnsPlainStructure() {
        CacheGateway g = gateway(GatewayMode.DATA);
        g.setValue("k", new Person("ann", 31, List.of("a", "b")));
        assertEquals(Map.of("name", "ann", "age", 31, "tags", List.of("a", "b")), g.getValue("k"));
    }

    @Test
    void getValue_inCounterMode_returnsLong() {
        CacheGateway g = gateway(GatewayMode.COUNTER);
        g.setValue("k", 42);
        assertEquals(42L, g.getValue("k"));
        assertEquals(42, g.getValue("k", Integer.class));
        assertEquals(42L, g.backend().getValue("k", Long.class));
    }

    @ParameterizedTest
    @EnumSource(GatewayMode.class)
    void multiGetValues_returnsValuesInKeyOrder_withNullForMisses(GatewayMode mode) {
        CacheGateway g = gateway(mode);
        g.setValue("a", sample(mode, 1));
        g.setValue("c", sample(mode, 3));
        List<?> values = g.multiGetValues(List.of("c", "missing", "a", "c"), sampleType(mode));
        assertEquals(Arrays.asList(sample(mode, 3), null, sample(mode, 1), sample(mode, 3)), values);
    }

    @ParameterizedTest
    @EnumSource(GatewayMode.class)
    void multiSetValues_withAndWithoutTtl_storesEveryPair(GatewayMode mode) {
        CacheGateway g = gateway(mode);
        Map<String, Object> pairs = new LinkedHashMap<>();
        for (int i = 0; i < 50; i++) {
            pairs.put("m" + i, sample(mode, i));
        }
        g.multiSetValues(pairs, Duration.ofMinutes(5));
        g.multiSetValues(Map.of("forever", sample(mode, 99)), null);
        List<String> keys = new ArrayList<>(pairs.keySet());
        keys.add("forever");
        List<?> values = g.multiGetValues(keys, sampleType(mode));
        for (int i = 0; i < 50; i++) {
            assertEquals(sample(mode, i), values.get(i));
        }
        assertEquals(sample(mode, 99), values.get(50));
    }

    @ParameterizedTest
    @EnumSource(GatewayMode.class)
    void delete_returnsOneForExistingKey_thenZero(GatewayMode mode) {
        CacheGateway g = gateway(mode);
        g.setValue("k", sample(mode, 1));
        assertEquals(1, g.delete("k"));
        assertEquals(0, g.delete("k"));
        assertNull(g.getValue("k"));
        assertFalse(g.exists("k"));
    }

    @ParameterizedTest
    @EnumSource(GatewayMode.class)
    void deleteMany_countsOnlyKeysThatExisted(GatewayMode mode) {
        CacheGateway g = gateway(mode);
        g.setValue("a", sample(mode, 1));
        g.setValue("b", sample(mode, 2));
        g.setValue("c", sample(mode, 3));
        assertEquals(2, g.deleteMany(List.of("a", "b", "missing", "a")));
        assertEquals(0, g.deleteMany(List.of("a", "b")));
        assertEquals(sample(mode, 3), g.getValue("c", sampleType(mode)));
    }

    @ParameterizedTest
    @EnumSource(GatewayMode.class)
    void setIfAbsent_onlyFirstWriterWins(GatewayMode mode) {
        CacheGateway g = gateway(mode);
        assertTrue(g.setIfAbsent("k", sample(mode, 1), Duration.ofMinutes(1)));
        assertFalse(g.setIfAbsent("k", sample(mode, 2), Duration.ofMinutes(1)));
        assertFalse(g.setIfAbsent("k", sample(mode, 3), null));
        assertEquals(sample(mode, 1), g.getValue("k", sampleType(mode)));
        assertTrue(g.setIfAbsent("other", sample(mode, 4), null));
        assertEquals(sample(mode, 4), g.getValue("other", sampleType(mode)));
    }

    @ParameterizedTest
    @EnumSource(GatewayMode.class)
    void incr_onMissingKey_startsAtZero_andReturnsNewValue(GatewayMode mode) {
        CacheGateway g = gateway(mode);
        assertEquals(1, g.incr("n"));
        assertEquals(6, g.incr("n", 5));
        assertEquals(-4, g.incr("n", -10));
        assertEquals(-4L, g.getValue("n", Long.class));
    }

    @ParameterizedTest
    @EnumSource(GatewayMode.class)
    void incr_afterSetValue_addsToStoredInteger(GatewayMode mode) {
        CacheGateway g = gateway(mode);
        g.setValue("n", 100L, Duration.ofMinutes(1));
        assertEquals(103, g.incr("n", 3));
        assertEquals(103L, g.getValue("n", Long.class));
    }

    @Test
    void incr_onNonIntegerInDataMode_throwsSerializationException_andKeepsValue() {
        CacheGateway g = gateway(GatewayMode.DATA);
        g.setValue("k", "text");
        assertThrows(SerializationException.class, () -> g.incr("k", 1));
        assertEquals("text", g.getValue("k", String.class));
    }

    @ParameterizedTest
    @EnumSource(GatewayMode.class)
    void clear_removesEveryEntry(GatewayMode mode) {
        CacheGateway g = gateway(mode);
        for (int i = 0; i < 30; i++) {
            g.setValue("k" + i, sample(mode, i), i % 2 == 0 ? null : Duration.ofMinutes(1));
        }
        g.clear();
        for (int i = 0; i < 30; i++) {
            assertFalse(g.exists("k" + i));
        }
        g.setValue("after", sample(mode, 1));
        assertTrue(g.exists("after"));
    }

    @ParameterizedTest
    @EnumSource(GatewayMode.class)
    void incr_from8ThreadsX10000_losesNoUpdate(GatewayMode mode) throws Exception {
        CacheGateway g = gateway(mode);
        int threads = 8;
        int perThread = 10_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        g.incr("hot");
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(80_000L, g.getValue("hot", Long.class));
    }

    @ParameterizedTest
    @EnumSource(GatewayMode.class)
    void asyncVariants_behaveLikeSyncOnes(GatewayMode mode) throws Exception {
        CacheGateway g = gateway(mode);
        assertTrue(g.setValueAsync("a", sample(mode, 1), Duration.ofMinutes(1)).toCompletableFuture().get());
        g.multiSetValuesAsync(Map.of("b", sample(mode, 2)), Duration.ofMinutes(1)).toCompletableFuture().get();
        g.multiSetValuesAsync(Map.of("c", sample(mode, 3)), null).toCompletableFuture().get();
        assertEquals(sample(mode, 1), g.getValueAsync("a", sampleType(mode)).toCompletableFuture().get());
        assertNull(g.getValueAsync("missing").toCompletableFuture().get());
        assertEquals(Arrays.asList(sample(mode, 2), null, sample(mode, 3)),
                g.multiGetValuesAsync(List.of("b", "x", "c"), sampleType(mode)).toCompletableFuture().get());
        assertTrue(g.backend().existsAsync("a").toCompletableFuture().get());
        assertTrue(g.setIfAbsentAsync("d", sample(mode, 4), null).toCompletableFuture().get());
        assertFalse(g.setIfAbsentAsync("d", sample(mode, 5), Duration.ofMinutes(1)).toCompletableFuture().get());
        assertEquals(3L, g.incrAsync("n", 3).toCompletableFuture().get());
        assertEquals(1L, g.deleteAsync("a").toCompletableFuture().get());
        assertEquals(2L, g.deleteManyAsync(List.of("b", "c", "zz")).toCompletableFuture().get());
    }

    @Test
    void getValue_onCorruptBytes_returnsNull_andDeletesEntry() {
        CacheGateway g = gateway(GatewayMode.DATA);
        g.backend().setValue("bad", new byte[]{(byte) 0xc1, 1, 2}, null);
        g.backend().setValue("bad2", new byte[]{(byte) 0xc1}, null);
        assertNull(g.getValue("bad", Person.class));
        assertFalse(g.exists("bad"));
        assertNull(g.getValue("bad2"));
        assertFalse(g.exists("bad2"));
    }

    @Test
    void getValue_onWrongShape_returnsNull_andDeletesEntry() {
        CacheGateway g = gateway(GatewayMode.DATA);
        g.setValue("s", "just a string");
        g.setValue("p", new Person("x", 1, List.of()));
        List<Person> values = g.multiGetValues(List.of("s", "p"), Person.class);
        assertEquals(Arrays.asList(null, new Person("x", 1, List.of())), values);
        assertFalse(g.exists("s"));
        assertTrue(g.exists("p"));
    }

    @Test
    void setValue_overMaxValueBytes_isNotCached_andDropsOlderEntry() {
        CacheBackend b = backend(GatewayMode.DATA);
        CacheGateway g = CacheGateway.over(b, MsgpackSerializer.INSTANCE, 64);
        assertTrue(g.setValue("k", "small"));
        assertFalse(g.setValue("k", "x".repeat(100)));
        assertNull(g.getValue("k"));
        g.multiSetValues(Map.of("a", "ok", "b", "y".repeat(100)), null);
        assertEquals("ok", g.getValue("a"));
        assertFalse(g.exists("b"));
        assertFalse(g.setIfAbsent("c", "z".repeat(100), null));
        assertFalse(g.exists("c"));
    }

    @ParameterizedTest
    @EnumSource(GatewayMode.class)
    void badInput_throwsInvalidCacheArgumentException(GatewayMode mode) {
        CacheGateway g = gateway(mode);
        assertThrows(InvalidCacheArgumentException.class, () -> g.getValue(null));
        assertThrows(InvalidCacheArgumentException.class, () -> g.getValue(" "));
        assertThrows(InvalidCacheArgumentException.class, () -> g.setValue(null, sample(mode, 1)));
        assertThrows(InvalidCacheArgumentException.class, () -> g.setValue("k", null));
        assertThrows(InvalidCacheArgumentException.class, () -> g.setValue("k", sample(mode, 1), Duration.ofSeconds(-1)));
        assertThrows(InvalidCacheArgumentException.class, () -> g.setValue("k", sample(mode, 1), Duration.ZERO));
        assertThrows(InvalidCacheArgumentException.class, () -> g.setIfAbsent("k", sample(mode, 1), Duration.ofMillis(-5)));
        assertThrows(InvalidCacheArgumentException.class, () -> g.multiGetValues(List.of()));
        assertThrows(InvalidCacheArgumentException.class, () -> g.multiGetValues(null));
        assertThrows(InvalidCacheArgumentException.class, () -> g.multiGetValues(Arrays.asList("a", null)));
        assertThrows(InvalidCacheArgumentException.class, () -> g.multiSetValues(Map.of(), null));
        assertThrows(InvalidCacheArgumentException.class, () -> g.multiSetValues(Map.of("k", sample(mode, 1)), Duration.ofSeconds(-3)));
        assertThrows(InvalidCacheArgumentException.class, () -> g.deleteMany(List.of()));
        assertThrows(InvalidCacheArgumentException.class, () -> g.delete(null));
        assertThrows(InvalidCacheArgumentException.class, () -> g.incr(null, 1));
        assertThrows(InvalidCacheArgumentException.class, () -> g.exists(null));
        assertFalse(g.exists("k"));
    }

    @Test
    void counterMode_rejectsNonIntegerValues() {
        CacheGateway g = gateway(GatewayMode.COUNTER);
        InvalidCacheArgumentException e = assertThrows(InvalidCacheArgumentException.class,
                () -> g.setValue("k", "text"));
        assertTrue(e.getMessage().contains("java.lang.String"), e.getMessage());
        assertThrows(InvalidCacheArgumentException.class, () -> g.setValue("k", 1.5));
        assertThrows(InvalidCacheArgumentException.class, () -> g.backend().setValue("k", new byte[]{1}, null));
    }

    @Test
    void dataBackend_rejectsNonByteValues() {
        CacheBackend b = backend(GatewayMode.DATA);
        assertThrows(InvalidCacheArgumentException.class, () -> b.setValue("k", 5L, null));
    }

    @Test
    void gatewayOver_backendOfOtherMode_isRejected() {
        CacheBackend counters = backend(GatewayMode.COUNTER);
        assertThrows(InvalidCacheArgumentException.class, () -> CacheGateway.over(counters, MsgpackSerializer.INSTANCE));
    }

    /** Rethrows the cause of a failed future's {@link ExecutionException}. */
    protected static Throwable causeOf(ExecutionException e) {
        return e.getCause();
    }
}
