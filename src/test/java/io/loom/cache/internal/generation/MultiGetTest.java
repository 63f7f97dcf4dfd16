package io.loom.cache.internal.generation;

import io.loom.cache.testing.RedisTestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Both paths of the hit MGET: Redisson's command executor and the public RBuckets API. */
class MultiGetTest {

    private static final RedisTestNamespace NS = RedisTestNamespace.create(MultiGetTest.class);

    @AfterAll
    static void cleanUp() {
        NS.close();
    }

    /** The shared client behind a plain interface proxy: not Redisson's own class, so RBuckets is used. */
    private static RedissonClient wrapped(RedissonClient client) {
        return (RedissonClient) Proxy.newProxyInstance(MultiGetTest.class.getClassLoader(),
                new Class<?>[] {RedissonClient.class}, (proxy, method, args) -> {
                    try {
                        return method.invoke(client, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void valuesComeBackInKeyOrder_withNullForAbsentKeys_onBothPaths() {
        RedissonClient client = RedisTestNamespace.client();
        client.getBucket(NS.key("a"), ByteArrayCodec.INSTANCE).set("1".getBytes(StandardCharsets.UTF_8));
        client.getBucket(NS.key("c"), ByteArrayCodec.INSTANCE).set("3".getBytes(StandardCharsets.UTF_8));
        for (MultiGet multiGet : List.of(new MultiGet(client), new MultiGet(wrapped(client)))) {
            List<byte[]> values = multiGet.get(NS.key("c"), NS.key("b"), NS.key("a"), NS.key("c"));
            assertEquals(4, values.size());
            assertArrayEquals("3".getBytes(StandardCharsets.UTF_8), values.get(0));
            assertNull(values.get(1));
            assertArrayEquals("1".getBytes(StandardCharsets.UTF_8), values.get(2));
            assertArrayEquals("3".getBytes(StandardCharsets.UTF_8), values.get(3));
        }
    }
}
