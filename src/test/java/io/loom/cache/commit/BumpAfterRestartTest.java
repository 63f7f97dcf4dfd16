package io.loom.cache.commit;

import io.loom.cache.LoomCache;
import io.loom.cache.config.BackendSettings;
import io.loom.cache.config.BackendType;
import io.loom.cache.config.CacheConfig;
import io.loom.cache.serialization.MsgpackSerializer;
import io.loom.cache.testing.Await;
import io.loom.cache.testing.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A Redis that restarted has an empty script cache. The first commit after the restart must still
 * be delivered at once: its bump travels as the script's source, never as a digest the server no
 * longer knows (Redisson's script cache would send EVALSHA, whose NOSCRIPT reply a bump with no
 * retries would count as a failure, leaving the node on the database until the retry).
 */
class BumpAfterRestartTest {

    private static LoomCache node(RedisServerProcess redis) {
        return LoomCache.create(CacheConfig.builder()
                .backend("default", BackendSettings.builder(BackendType.REDIS).address(redis.address())
                        .serializer(MsgpackSerializer.NAME).namespace("restart").build())
                .build());
    }

    /** The server forgot its scripts (SCRIPT FLUSH, as a promoted replica has none). */
    @Test
    void firstCommitAfterTheServerForgotItsScripts_isDeliveredAtOnce() {
        try (RedisServerProcess redis = RedisServerProcess.start(); LoomCache cache = node(redis)) {
            cache.invalidate("Book");
            cache.invalidate("Book");
            assertEquals(0, cache.pendingInvalidations());
            redis.command("SCRIPT", "FLUSH");
            cache.invalidate("Book");
            assertEquals(0, cache.pendingInvalidations(), "the first bump after SCRIPT FLUSH was not delivered");
            assertEquals(0, cache.stats().bumpFailures());
        }
    }

    /** The same with the application's own client, which uses Redisson's script cache. */
    @Test
    void firstCommitAfterTheServerForgotItsScripts_onTheApplicationsClient_isDeliveredAtOnce() {
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            Config redisson = new Config();
            redisson.useSingleServer().setAddress(redis.address());
            RedissonClient client = Redisson.create(redisson);
            CacheConfig config = CacheConfig.builder()
                    .backend("default", BackendSettings.builder(BackendType.REDIS).address(redis.address())
                            .serializer(MsgpackSerializer.NAME).namespace("own").build())
                    .build();
            try (LoomCache cache = LoomCache.builder(config).redissonClient(client).build()) {
                cache.invalidate("Book");
                cache.invalidate("Book");
                redis.command("SCRIPT", "FLUSH");
                cache.invalidate("Book");
                assertEquals(0, cache.pendingInvalidations(), "the first bump after SCRIPT FLUSH was not delivered");
                assertEquals(0, cache.stats().bumpFailures());
            } finally {
                client.shutdown();
            }
        }
    }

    /** A server this process never sent the script to, after another server ran it. */
    @Test
    void firstCommitOnAServerThatNeverRanTheScript_isDeliveredAtOnce() {
        try (RedisServerProcess first = RedisServerProcess.start();
             RedisServerProcess second = RedisServerProcess.start()) {
            try (LoomCache cache = node(first)) {
                cache.invalidate("Book");
                assertEquals(0, cache.pendingInvalidations());
            }
            try (LoomCache cache = node(second)) {
                cache.invalidate("Book");
                assertEquals(0, cache.pendingInvalidations(), "the first bump on the second server was not delivered");
                assertEquals(0, cache.stats().bumpFailures());
            }
        }
    }

    @Test
    void firstCommitAfterRedisRestarted_isDeliveredAtOnce() {
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            try (LoomCache cache = node(redis)) {
                cache.invalidate("Book");
                assertEquals(0, cache.pendingInvalidations());
                redis.restart();
                Await.until(() -> "v".equals(cache.getOrLoad("k", List.of("Book"), String.class,
                        Duration.ofMinutes(1), () -> "v")) && cache.backendAvailable(),
                        "the node never read from the restarted Redis");
                long failures = cache.stats().bumpFailures();
                cache.invalidate("Book");
                assertEquals(0, cache.pendingInvalidations(), "the first bump after the restart was not delivered");
                assertEquals(failures, cache.stats().bumpFailures());
            }
        }
    }
}
