package io.loom.cache.internal.read;


import io.loom.cache.config.NearCacheMode;
import io.loom.cache.config.NearCacheSettings;
import io.loom.cache.internal.codec.EntryCodec;
import io.loom.cache.internal.codec.GenericType;
import io.loom.cache.internal.codec.MsgpackCodec;
import io.loom.cache.internal.generation.RedisGenerationStore;
import io.loom.cache.internal.near.NearCache;
import io.loom.cache.internal.near.NearCaches;
import io.loom.cache.serialization.MsgpackSerializer;
import io.loom.cache.testing.Await;
import io.loom.cache.testing.RedisTestNamespace;
import io.loom.cache.testing.TestStores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import io.loom.cache.invalidation.Tags;
import org.msgpack.core.MessagePack;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.config.Config;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The near cache on the shared Redis, with two nodes (two clients, two stores, two near caches)
 * over one namespace and one "database" value.
 */
class NearCacheOnRedisTest {

    private static final RedisTestNamespace NS = RedisTestNamespace.create(NearCacheOnRedisTest.class);
    private static final String ENTITY = NearCacheNode.ENTITY;
    private static final String ROW = NearCacheNode.ROW;
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final AtomicReference<String> database = new AtomicReference<>("v1");
    private final AtomicInteger loads = new AtomicInteger();
    private final List<NearCacheNode> nodes = new ArrayList<>();
    private final String namespace = NS.child(Long.toHexString(System.nanoTime()));

    @AfterAll
    static void cleanUp() {
        NS.close();
    }

    @AfterEach
    void closeNodes() {
        nodes.forEach(NearCacheNode::close);
    }

    private NearCacheNode node(NearCacheMode mode) {
        NearCacheNode node = new NearCacheNode(RedisTestNamespace.newClient(), namespace, NearCacheSettings.of(mode),
                database, loads);
        nodes.add(node);
        return node;
    }

    @Test
    void validated_hitIsServedFromTheNearCacheAfterOneCounterCheck_andAnotherNodesWriteReloads() {
        NearCacheNode a = node(NearCacheMode.VALIDATED);
        NearCacheNode b = node(NearCacheMode.VALIDATED);
        assertEquals("v1", a.get());
        assertEquals("v1", a.get());
        assertEquals(1, loads.get());
        assertEquals(1, a.stats().nearHits());
        assertEquals(1, a.store.reads.get(), "the near hit read no entry");
        assertEquals(1, a.store.validations.get(), "but checked the stamp's counters once");

        b.write("v2");
        assertEquals("v2", a.get(), "node B's committed write must be seen by node A's next read");
        assertEquals(2, loads.get());
        a.cache.awaitStores(); // node A's store is answered after its read returned
        assertEquals("v2", b.get(), "node B reads the entry node A stored");
        assertEquals(2, loads.get());
    }

    @Test
    void pushed_hitNeedsNoRoundTrip_andAnotherNodesWriteArrivesByMessage() {
        NearCacheNode a = node(NearCacheMode.PUSHED);
        NearCacheNode b = node(NearCacheMode.PUSHED);
        a.awaitLive(WAIT, "the pushed near cache never became live");
        assertEquals("v1", a.get());
        int reads = a.store.reads.get();
        for (int i = 0; i < 10; i++) {
            assertEquals("v1", a.get());
        }
        assertEquals(reads, a.store.reads.get());
        assertEquals(0, a.store.validations.get(), "pushed hits make no round trip");
        assertEquals(10, a.stats().nearHits());

        b.write("v2");
        Await.until(() -> "v2".equals(a.get()), WAIT, "node A never saw node B's write");
        assertEquals(2, loads.get());
    }

    @Test
    void pushed_ownWrite_isSeenAtOnce() {
        NearCacheNode a = node(NearCacheMode.PUSHED);
        a.awaitLive(WAIT, "the pushed near cache never became live");
        assertEquals("v1", a.get());
        assertEquals("v1", a.get());
        a.write("v2");
        assertEquals("v2", a.get(), "the writing node drops its value before the write is reported done");
    }

    /**
     * A pushed node that kept row 1 at v1 (its store answered) and then committed v2 itself. The
     * namespace's first bump creates its sequence from the clock, a jump every node takes for a gap
     * (and forgets what it kept): {@code other} makes it first, and the node applies it before it reads.
     */
    private NearCacheNode nodeAfterItsOwnWrite(NearCacheNode other) {
        NearCacheNode a = node(NearCacheMode.PUSHED);
        a.awaitLive(WAIT, "the pushed near cache never became live");
        long position = a.near.position();
        other.store.bump(List.of(), List.of(Tags.row(ENTITY, "0")));
        Await.until(() -> a.near.position() > position, WAIT, "node a never applied the first bump");
        assertEquals("v1", a.get());
        assertEquals("v1", a.get(), "served once the first read's store was answered");
        a.write("v2");
        return a;
    }

    @Test
    void pushed_readAfterOwnWrite_loadsWithoutReadingRedisFirst_andStoresForEveryNode() {
        NearCacheNode b = node(NearCacheMode.PUSHED);
        NearCacheNode a = nodeAfterItsOwnWrite(b);
        int reads = a.store.reads.get();
        assertEquals("v2", a.get());
        assertEquals(reads, a.store.reads.get(), "the own bump's clock stood in for the read before the load");
        assertEquals(2, a.stats().stores(), "the load after the own write was stored");
        int loaded = loads.get();
        assertEquals("v2", b.get(), "another node reads the stored value");
        assertEquals(loaded, loads.get(), "without loading it again");
        assertEquals("v2", a.get());
        assertEquals(loaded, loads.get(), "and the writing node keeps it");
    }

    @Test
    void pushed_readAfterOwnWrite_whileAnotherNodeWritesTheRow_isNotStored() {
        NearCacheNode b = node(NearCacheMode.PUSHED);
        NearCacheNode a = nodeAfterItsOwnWrite(b);
        int reads = a.store.reads.get();
        assertEquals("v2", a.getWhile(() -> b.write("v3")), "the load read v2, then node b committed v3");
        assertEquals(reads, a.store.reads.get(), "loaded on the own bump's clock");
        assertEquals(1, a.stats().racedStores(), "node b's bump came after that clock: the store is refused");
        assertEquals("v3", a.get());
        assertEquals("v3", b.get());
    }

    @Test
    void pushed_missedMessage_makesTheNodeValidateByRoundTripAgain() throws IOException {
        NearCacheNode a = node(NearCacheMode.PUSHED);
        a.awaitLive(WAIT, "the pushed near cache never became live");
        assertEquals("v1", a.get());
        assertEquals("v1", a.get());
        assertEquals(0, a.store.validations.get());

        // A message whose sequence skips ahead: this node missed some, so nothing it kept is vouched for.
        byte[] raw = (byte[]) a.client.getBucket(namespace + ":gen:~seq", ByteArrayCodec.INSTANCE).get();
        long sequence = raw == null ? 0 : Long.parseLong(new String(raw, StandardCharsets.UTF_8));
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            packer.packArrayHeader(4).packLong(sequence + 100).packString("").packLong(0).packString("r:other:1");
            a.client.getTopic(a.redisStore.invalidationChannel(), ByteArrayCodec.INSTANCE).publish(packer.toByteArray());
        }
        Await.until(() -> {
            a.get();
            return a.store.validations.get() > 0;
        }, WAIT, "a gap in the sequence must stop hits without a round trip");
        assertEquals("v1", a.get());
        assertEquals(1, loads.get(), "the value was still current: validated, not reloaded");
    }

    @Test
    void immutableValuesAreShared_mutableOnesDecodedPerHit() {
        NearCacheNode a = node(NearCacheMode.VALIDATED);
        EntryCodec<Book> books = MsgpackCodec.of(MsgpackSerializer.INSTANCE, Book.class);
        Book first = a.get(books, new Book(1, "Dune"));
        assertSame(first, a.get(books, new Book(1, "other")), "an immutable record is shared");

        NearCacheNode b = node(NearCacheMode.VALIDATED);
        EntryCodec<List<String>> lists = MsgpackCodec.ofType(MsgpackSerializer.INSTANCE,
                GenericType.of(List.class, String.class));
        namespaceEntryDeleted(b);
        List<String> one = b.get(lists, new ArrayList<>(List.of("a", "b")));
        List<String> two = b.get(lists, List.of("other"));
        List<String> three = b.get(lists, List.of("other"));
        assertEquals(List.of("a", "b"), two);
        assertNotSame(two, three, "a mutable value is decoded for every caller");
        assertEquals(one, three);
    }

    /** Removes the entry of the previous step so the next lookup of the same key loads afresh. */
    private void namespaceEntryDeleted(NearCacheNode node) {
        node.client.getBucket(namespace + ":book:id:1", ByteArrayCodec.INSTANCE).delete();
    }

    @Test
    void pushed_startsWhileRedisIsUnreachable_andServesFromTheDatabase() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Config config = new Config();
        config.useSingleServer().setAddress("redis://127.0.0.1:" + port).setConnectTimeout(200).setTimeout(200)
                .setRetryAttempts(0);
        config.setLazyInitialization(true);
        RedissonClient down = Redisson.create(config);
        RedisGenerationStore store = TestStores.redis(down, "down");
        NearCache near = NearCaches.create(NearCacheSettings.of(NearCacheMode.PUSHED), store);
        try {
            StampedCache cache = new StampedCache(store, new CacheMetrics(), CacheGuard.standard(Duration.ofSeconds(1)),
                    1 << 20, near);
            for (int i = 0; i < 3; i++) {
                assertEquals("v1", cache.get(new Lookup<>(ENTITY, "book:id:1", Set.of(ENTITY), Set.of(ROW),
                        Duration.ofMinutes(1), null, MsgpackCodec.of(MsgpackSerializer.INSTANCE, String.class),
                        () -> Lookup.Loaded.of(database.get(), Set.of(), Set.of(ENTITY)))));
            }
            assertFalse(near.pushedLive(), "nothing vouches for values while Redis is unreachable");
        } finally {
            near.close();
            down.shutdown();
        }
    }

    record Book(long id, String title) {
    }
}
