package io.loom.cache.gateway;

import io.loom.cache.internal.backend.MemoryBackend;
import io.loom.cache.serialization.MsgpackSerializer;
import io.loom.cache.testing.FakeTicker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/** The backend contract on the in-memory backend, plus expiry on a fake clock and eviction. */
class MemoryBackendContractTest extends CacheBackendContract {

    private final FakeTicker ticker = new FakeTicker();

    @Override
    protected CacheBackend createBackend(GatewayMode mode) {
        return new MemoryBackend(mode, null, ticker);
    }

    private CacheGateway gatewayOn(MemoryBackend backend) {
        return CacheGateway.over(backend, backend.mode() == GatewayMode.DATA ? MsgpackSerializer.INSTANCE : null);
    }

    @ParameterizedTest
    @EnumSource(GatewayMode.class)
    void getValue_afterTtlExpires_returnsNull(GatewayMode mode) {
        CacheGateway g = gateway(mode);
        g.setValue("short", 1L, Duration.ofSeconds(10));
        g.setValue("forever", 2L);
        ticker.advance(Duration.ofSeconds(9));
        assertEquals(1L, g.getValue("short", Long.class));
        ticker.advance(Duration.ofSeconds(2));
        assertNull(g.getValue("short", Long.class));
        assertFalse(g.exists("short"));
        ticker.advance(Duration.ofDays(3650));
        assertEquals(2L, g.getValue("forever", Long.class));
    }

    @ParameterizedTest
    @EnumSource(GatewayMode.class)
    void setValue_withoutTtl_clearsEarlierTtl(GatewayMode mode) {
        CacheGateway g = gateway(mode);
        g.setValue("k", 1L, Duration.ofSeconds(5));
        g.setValue("k", 2L);
        ticker.advance(Duration.ofMinutes(1));
        assertEquals(2L, g.getValue("k", Long.class));
    }

    @ParameterizedTest
    @EnumSource(GatewayMode.class)
    void incr_keepsRemainingTtl(GatewayMode mode) {
        CacheGateway g = gateway(mode);
        g.setValue("n", 5L, Duration.ofSeconds(10));
        ticker.advance(Duration.ofSeconds(6));
        assertEquals(6, g.incr("n"));
        ticker.advance(Duration.ofSeconds(5));
        assertNull(g.getValue("n"));
    }

    @ParameterizedTest
    @EnumSource(GatewayMode.class)
    void multiSetValues_withTtl_expiresEveryPair(GatewayMode mode) {
        CacheGateway g = gateway(mode);
        g.multiSetValues(java.util.Map.of("a", 1L, "b", 2L), Duration.ofSeconds(3));
        ticker.advance(Duration.ofSeconds(4));
        assertEquals(java.util.Arrays.asList(null, null), g.multiGetValues(java.util.List.of("a", "b")));
    }

    @ParameterizedTest
    @EnumSource(GatewayMode.class)
    void setIfAbsent_afterEntryExpired_succeedsAgain(GatewayMode mode) {
        CacheGateway g = gateway(mode);
        assertTrue(g.setIfAbsent("lock", 1L, Duration.ofSeconds(2)));
        assertFalse(g.setIfAbsent("lock", 2L, Duration.ofSeconds(2)));
        ticker.advance(Duration.ofSeconds(3));
        assertTrue(g.setIfAbsent("lock", 3L, Duration.ofSeconds(2)));
        assertEquals(3L, g.getValue("lock", Long.class));
    }

    @Test
    void maxSize_evictsDownToBound() {
        MemoryBackend backend = new MemoryBackend(GatewayMode.DATA, 10L, ticker);
        CacheGateway g = gatewayOn(backend);
        for (int i = 0; i < 200; i++) {
            g.setValue("k" + i, i);
        }
        backend.cleanUp();
        assertEquals(10, backend.estimatedSize());
        long present = 0;
        for (int i = 0; i < 200; i++) {
            if (backend.map().containsKey("k" + i)) {
                present++;
            }
        }
        assertEquals(10, present);
        assertEquals(10L, backend.maxSize());
    }

    @Test
    void map_exposesRawRepresentation_bytesForDataAndLongForCounters() {
        MemoryBackend data = new MemoryBackend(GatewayMode.DATA, null, ticker);
        MemoryBackend counters = new MemoryBackend(GatewayMode.COUNTER, null, ticker);
        gatewayOn(data).setValue("k", "v");
        gatewayOn(counters).incr("c", 4);
        assertArrayEquals(MsgpackSerializer.INSTANCE.dumps("v"), (byte[]) data.map().get("k"));
        assertEquals(4L, counters.map().get("c"));
        counters.map().merge("c", 1L, (a, b) -> (Long) a + (Long) b);
        assertEquals(5L, gatewayOn(counters).getValue("c"));
    }

    @Test
    void incr_onOverflow_throwsAndKeepsValue() {
        CacheGateway g = gateway(GatewayMode.COUNTER);
        g.setValue("n", Long.MAX_VALUE);
        assertThrows(ArithmeticException.class, () -> g.incr("n", 1));
        assertEquals(Long.MAX_VALUE, g.getValue("n"));
    }
}
