package io.loom.cache.internal.read;

import io.loom.cache.gateway.GatewayMode;
import io.loom.cache.gateway.GenerationStore;
import io.loom.cache.internal.backend.MemoryBackend;
import io.loom.cache.internal.codec.MsgpackCodec;
import io.loom.cache.internal.generation.ForwardingGenerationStore;
import io.loom.cache.invalidation.Fingerprint;
import io.loom.cache.invalidation.Tags;
import io.loom.cache.serialization.MsgpackSerializer;
import io.loom.cache.testing.Await;
import io.loom.cache.testing.TestStores;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Single flight never hands a miss a value loaded before a write that completed before the miss started. */
class StampedCacheSingleFlightTest {

    private static final String ENTITY = "book";
    private static final String ROW_TAG = Tags.row(ENTITY, "1");

    private final AtomicReference<String> database = new AtomicReference<>("v1");
    private final AtomicInteger loads = new AtomicInteger();

    /** Holds the first store call after it succeeded, as if its thread were descheduled there. */
    private static final class PausingStore extends ForwardingGenerationStore {
        final CountDownLatch stored = new CountDownLatch(1);
        final CountDownLatch resume = new CountDownLatch(1);
        final AtomicBoolean paused = new AtomicBoolean();

        PausingStore(GenerationStore delegate) {
            super(delegate);
        }

        @Override
        public Fingerprint stamp(String entryKey, byte[] payload, Collection<String> tags, List<EpochValue> watched,
                                 long since, Duration entryTtl, boolean tagsKnownToCaller) {
            Fingerprint result = super.stamp(entryKey, payload, tags, watched, since, entryTtl, tagsKnownToCaller);
            if (paused.compareAndSet(false, true)) {
                stored.countDown();
                Await.released(resume, "the test never resumed the paused store");
            }
            return result;
        }
    }

    private Lookup<String> lookup() {
        return new Lookup<>(ENTITY, "book:id:1", Set.of(ENTITY), Set.of(Tags.entity(ENTITY), ROW_TAG),
                Duration.ofMinutes(1), null, MsgpackCodec.of(MsgpackSerializer.INSTANCE, String.class),
                () -> {
                    loads.incrementAndGet();
                    return Lookup.Loaded.of(database.get(), Set.of(), Set.of(ENTITY));
                });
    }

    @Test
    void missStartingAfterACommittedWrite_doesNotReceiveTheValueOfAFlightLoadedBeforeIt() throws Exception {
        MemoryBackend memory = new MemoryBackend(GatewayMode.DATA);
        PausingStore store = new PausingStore(TestStores.memory(memory));
        StampedCache cache = new StampedCache(store, new CacheMetrics(),
                CacheGuard.standard(Duration.ofSeconds(2)), 1 << 20);

        AtomicReference<String> leaderRead = new AtomicReference<>();
        Thread leader = new Thread(() -> leaderRead.set(cache.get(lookup())), "leader");
        leader.start();
        assertTrue(store.stored.await(10, TimeUnit.SECONDS), "leader never stored");

        // A write commits and is bumped while the leader has stored v1 but not yet finished its flight.
        database.set("v2");
        store.bump(List.of(Tags.writeEpoch(ENTITY)), List.of(ROW_TAG));

        AtomicReference<String> laterRead = new AtomicReference<>();
        Thread later = new Thread(() -> laterRead.set(cache.get(lookup())), "later-reader");
        later.start();
        // Until it finished on its own or waits for the leader's flight.
        Await.waitingOrDone(later, "the later reader neither finished nor waited for the leader's flight");
        store.resume.countDown();
        Await.joined(leader);
        Await.joined(later);

        assertEquals("v1", leaderRead.get());
        assertEquals("v2", laterRead.get());
        assertEquals(2, loads.get());
        assertEquals("v2", cache.get(lookup()));
        assertEquals(2, loads.get());
    }

    @Test
    void concurrentMissesUnderTheSameEpochs_shareOneLoad() throws Exception {
        MemoryBackend memory = new MemoryBackend(GatewayMode.DATA);
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        StampedCache cache = new StampedCache(TestStores.memory(memory),
                new CacheMetrics(), CacheGuard.standard(Duration.ofSeconds(2)), 1 << 20);
        Lookup<String> slow = new Lookup<>(ENTITY, "book:id:1", Set.of(ENTITY), Set.of(ROW_TAG),
                Duration.ofMinutes(1), null, MsgpackCodec.of(MsgpackSerializer.INSTANCE, String.class), () -> {
                    loads.incrementAndGet();
                    loading.countDown();
                    Await.released(finish, "the test never let the slow load finish");
                    return Lookup.Loaded.of(database.get(), Set.of(), Set.of(ENTITY));
                });
        AtomicReference<String> first = new AtomicReference<>();
        AtomicReference<String> second = new AtomicReference<>();
        Thread leader = new Thread(() -> first.set(cache.get(slow)));
        leader.start();
        assertTrue(loading.await(10, TimeUnit.SECONDS));
        Thread waiter = new Thread(() -> second.set(cache.get(slow)));
        waiter.start();
        Await.until(() -> waiter.getState() == Thread.State.WAITING, "the waiter never waited for the leader's flight");
        finish.countDown();
        Await.joined(leader);
        Await.joined(waiter);
        assertEquals("v1", first.get());
        assertEquals("v1", second.get());
        assertEquals(1, loads.get());
    }
}
