package io.loom.cache.internal.generation;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.config.Config;

import java.time.Duration;
import java.util.UUID;

class RedisGenerationStoreTest extends GenerationStoreContract {

    private static RedissonClient client;
    private static final String NAMESPACE = "test:RedisGenerationStoreTest:" + UUID.randomUUID() + ":";

    @BeforeAll
    static void connect() {
        Config config = new Config();
        config.useSingleServer().setAddress("redis://127.0.0.1:6379");
        client = Redisson.create(config);
    }

    @AfterAll
    static void cleanUp() {
        client.getKeys().deleteByPattern(NAMESPACE + "*");
        client.shutdown();
    }

    @Override
    protected GenerationStore newStore() {
        String store = NAMESPACE + UUID.randomUUID() + ":";
        return new RedisGenerationStore(client, NAMESPACE, store + "gen:", Duration.ofMinutes(5));
    }

    @Override
    protected String entryKey(String name) {
        return "entry:" + name + ":" + UUID.randomUUID();
    }

    @Override
    protected void loseCounter(String tag) {
        client.getKeys().deleteByPattern(NAMESPACE + "*:gen:" + tag);
    }

    @Override
    protected void writeRaw(String entryKey, byte[] bytes) {
        client.getBucket(NAMESPACE + entryKey, ByteArrayCodec.INSTANCE).set(bytes);
    }
}
