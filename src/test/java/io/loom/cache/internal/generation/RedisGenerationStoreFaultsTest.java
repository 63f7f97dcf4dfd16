package io.loom.cache.internal.generation;

import io.loom.cache.config.BumpSettings;
import io.loom.cache.gateway.GenerationStore.EpochValue;
import io.loom.cache.gateway.GenerationStore.Status;
import io.loom.cache.testing.RedisServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisException;
import org.redisson.config.Config;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scripted store on a redis-server of its own that the test fills, pauses and inspects: bumps
 * go through at maxmemory, a paused server costs a bump one budget and one attempt, and a huge
 * bump is split into bounded script calls.
 */
class RedisGenerationStoreFaultsTest {

    private static final Duration BUDGET = Duration.ofMillis(300);

    private RedisServerProcess redis;
    private RedissonClient client;

    private RedisGenerationStore start(BumpSettings bump, String... redisArgs) {
        redis = RedisServerProcess.start(redisArgs);
        Config config = new Config();
        // Redisson's own retries are on (3), as an application may configure them: the bump must not use them.
        config.useSingleServer().setAddress(redis.address()).setTimeout((int) BUDGET.toMillis()).setRetryAttempts(3);
        client = Redisson.create(config);
        return new RedisGenerationStore(client, "f:", "f:gen:", Duration.ofMinutes(5), bump);
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.shutdown();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Fills about 4 MB, then lowers maxmemory below it: the server is over its limit for sure. */
    private void fillBeyondMaxmemory() {
        String filler = "x".repeat(10_000);
        for (int i = 0; i < 400; i++) {
            redis.command("SET", "filler:" + i, filler);
        }
        assertTrue(redis.command("CONFIG", "SET", "maxmemory", "2mb").startsWith("+OK"));
        assertTrue(redis.command("SET", "probe", "x").startsWith("-OOM"), "the server refuses writes");
    }

    /** Script calls the server ran (Redisson sends EVAL as EVALSHA when it can). */
    private long scriptCalls() {
        return redis.commandCalls("eval") + redis.commandCalls("evalsha");
    }

    @Test
    void atMaxmemoryWithNoeviction_bumpsGoThrough_andStoresAreRefusedWithoutError() {
        RedisGenerationStore store = start(BumpSettings.DEFAULT, "--maxmemory-policy", "noeviction");
        store.bump(Set.of("w:book"), Set.of());
        List<EpochValue> epochs = store.read("e1", List.of("w:book")).epochs();
        assertNotNull(store.stamp("e1", bytes("v1"), Set.of("r:book:1"), epochs, 0, Duration.ofMinutes(1), false));
        fillBeyondMaxmemory();

        assertEquals(Status.HIT, store.read("e1", List.of("w:book")).status(), "a full Redis still serves reads");
        store.bump(Set.of("w:book", "w:new"), Set.of("r:book:1"));
        assertEquals(Status.STALE, store.read("e1", List.of("w:book")).status(), "the bump went through");
        assertNotNull(store.generations(List.of("w:new")).get(0), "an absent epoch was created");

        List<EpochValue> now = store.read("e2", List.of("w:book")).epochs();
        assertNull(store.stamp("e2", bytes("v"), Set.of("r:book:2"), now, 0, Duration.ofMinutes(1), false),
                "a full Redis keeps nothing new");
        assertEquals(Status.ABSENT, store.read("e2", List.of("w:book")).status());
    }

    @Test
    void pausedRedis_bumpFailsAfterOneBudget_withOneAttempt() throws Exception {
        RedisGenerationStore store = start(BumpSettings.DEFAULT);
        store.bump(Set.of("w:book"), Set.of());
        long evalsBefore = scriptCalls();
        redis.pause();
        long started = System.nanoTime();
        try {
            assertThrows(RedisException.class, () -> store.bump(Set.of("w:book"), Set.of("r:book:1")));
        } finally {
            redis.resume();
        }
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        // One budget plus scheduling slack; Redisson's retries (3 more attempts, 1.5 s apart) would take seconds.
        assertTrue(waitedMillis < 3 * BUDGET.toMillis(), "a commit waited " + waitedMillis + " ms for its bump");
        store.bump(Set.of("w:book"), Set.of("r:book:1"));
        assertEquals(2, scriptCalls() - evalsBefore,
                "the late bump (answered after SIGCONT) and the next one, no retried copies");
    }

    @Test
    void hugeBump_isSplitIntoBoundedScriptCalls_ordinaryBumpIsOneCall() {
        RedisGenerationStore store = start(new BumpSettings(null, 0, BumpSettings.DEFAULT_REPLICA_TIMEOUT, 100));
        Set<String> tags = new LinkedHashSet<>();
        for (int i = 0; i < 450; i++) {
            tags.add("r:book:" + i);
        }
        store.bump(Set.of("w:book"), Set.of());
        List<EpochValue> epochs = store.read("huge", List.of("w:book")).epochs();
        assertNotNull(store.stamp("huge", bytes("v"), tags, epochs, 0, Duration.ofMinutes(1), false));
        List<String> before = store.generations(new ArrayList<>(tags));

        long evals = scriptCalls();
        assertEquals(450, store.bump(Set.of("w:book"), tags) - 1);
        assertEquals(5, scriptCalls() - evals, "451 counters at 100 per call");
        assertEquals(5, store.bumpCalls(451));
        List<String> after = store.generations(new ArrayList<>(tags));
        for (int i = 0; i < tags.size(); i++) {
            assertTrue(Long.parseLong(after.get(i)) > Long.parseLong(before.get(i)), "tag " + i + " moved");
        }
        assertEquals(Status.STALE, store.read("huge", List.of("w:book")).status());

        evals = scriptCalls();
        store.bump(Set.of("w:book"), Set.of("r:book:1", "e:book", "l:book"));
        assertEquals(1, scriptCalls() - evals, "an ordinary transaction is one call");
    }
}
