package io.loom.cache.custom;

import io.loom.cache.LoomCache;
import io.loom.cache.config.CacheConfigLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GetOrLoadTest {

    record Top(String name, long sold) {
    }

    static final Type LIST_OF_TOP = new ParameterizedType() {
        public Type[] getActualTypeArguments() {
            return new Type[] {Top.class};
        }

        public Type getRawType() {
            return List.class;
        }

        public Type getOwnerType() {
            return null;
        }
    };

    final LoomCache cache = LoomCache.inMemory();
    final AtomicInteger loads = new AtomicInteger();

    @AfterEach
    void close() {
        cache.close();
    }

    private List<Top> top(List<Top> value) {
        return cache.getOrLoad("top", List.of("Product", "OrderLine"), LIST_OF_TOP, Duration.ofMinutes(1), () -> {
            loads.incrementAndGet();
            return value;
        });
    }

    @Test
    void getOrLoad_hitsUntilAnyOfItsEntitiesIsInvalidated() {
        List<Top> first = List.of(new Top("a", 3));
        assertEquals(first, top(first));
        assertEquals(first, top(List.of()));
        assertEquals(1, loads.get());
        assertEquals(1, cache.stats("product").hits());
        cache.invalidate("OrderLine");
        assertEquals(List.of(new Top("b", 4)), top(List.of(new Top("b", 4))));
        assertEquals(2, loads.get());
    }

    @Test
    void getOrLoad_doesNotStoreALoadDuringWhichAWriteCommitted() {
        List<Top> raced = cache.getOrLoad("top", List.of("Product"), LIST_OF_TOP, Duration.ofMinutes(1), () -> {
            cache.invalidate("Product");
            return List.of(new Top("old", 1));
        });
        assertEquals(List.of(new Top("old", 1)), raced);
        assertEquals(List.of(new Top("new", 2)), top(List.of(new Top("new", 2))));
        assertEquals(1, loads.get());
    }

    @Test
    void getOrLoad_disabled_alwaysLoads_andNoEntityIsRejected() {
        try (LoomCache disabled = LoomCache.create(CacheConfigLoader.fromMapping(java.util.Map.of("enabled", false)))) {
            assertEquals("v", disabled.getOrLoad("k", List.of("Product"), String.class, Duration.ofMinutes(1), () -> "v"));
        }
        assertThrows(IllegalArgumentException.class,
                () -> cache.getOrLoad("k", List.of(), String.class, Duration.ofMinutes(1), () -> "v"));
    }
}
