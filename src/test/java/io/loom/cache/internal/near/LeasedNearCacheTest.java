package io.loom.cache.internal.near;

import io.loom.cache.config.NearCacheSettings;
import io.loom.cache.internal.commit.InvalidationPublisher;
import io.loom.cache.internal.read.CacheGuard;
import io.loom.cache.internal.read.CacheMetrics;
import io.loom.cache.internal.read.NearCacheNode;
import io.loom.cache.invalidation.GenerationalDependencyResolver;
import io.loom.cache.invalidation.Invalidation;
import io.loom.cache.invalidation.Tags;
import io.loom.cache.testing.Await;
import io.loom.cache.testing.RedisServerProcess;
import io.loom.cache.testing.RedisTestNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RTopic;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The leased near cache with two nodes (two clients, stores and near caches) over one namespace and
 * one "database" value: hits without a round trip that are never stale, also while a node is
 * paused and across a Redis restart.
 */
class LeasedNearCacheTest {

    private static final RedisTestNamespace NS = RedisTestNamespace.create(LeasedNearCacheTest.class);
    private static final String ENTITY = NearCacheNode.ENTITY;
    private static final String ROW = NearCacheNode.ROW;
    private static final Duration LEASE = Duration.ofSeconds(1);
    private static final Duration DRIFT = Duration.ofMillis(50);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final AtomicReference<String> database = new AtomicReference<>("v1");
    private final AtomicInteger loads = new AtomicInteger();
    private final List<NearCacheNode> nodes = new ArrayList<>();
    private final List<RedisServerProcess> servers = new ArrayList<>();
    private final String namespace = NS.child(Long.toHexString(System.nanoTime()));

    @AfterAll
    static void cleanUp() {
        NS.close();
    }

    @AfterEach
    void closeNodes() {
        nodes.forEach(NearCacheNode::close);
        servers.forEach(RedisServerProcess::close);
    }

    private static RedisInvalidationStream stream(NearCacheNode node) {
        return (RedisInvalidationStream) node.near.feed();
    }

    private NearCacheNode node(NearCacheSettings settings) {
        NearCacheNode node = new NearCacheNode(RedisTestNamespace.newClient(), namespace, settings, database, loads);
        nodes.add(node);
        return node;
    }

    /** A node with the default lease, once it holds its lease. */
    private NearCacheNode liveNode() {
        NearCacheNode node = node(leased());
        node.awaitLive(WAIT, "the leased near cache never held a lease");
        return node;
    }

    private NearCacheNode node(RedisServerProcess server, NearCacheSettings settings) {
        Config config = new Config();
        config.useSingleServer().setAddress(server.address()).setConnectTimeout(500).setTimeout(500)
                .setRetryAttempts(1).setRetryInterval(100).setPingConnectionInterval(200);
        NearCacheNode node = new NearCacheNode(Redisson.create(config), namespace, settings, database, loads);
        nodes.add(node);
        return node;
    }

    private RedisServerProcess server() {
        RedisServerProcess server = RedisServerProcess.start();
        servers.add(server);
        return server;
    }

    /** The namespace's invalidation sequence now. */
    private static long sequence(NearCacheNode node) {
        String raw = node.client.<String>getBucket(node.redisStore.channel().sequenceKey(), StringCodec.INSTANCE).get();
        return raw == null ? 0 : Long.parseLong(raw);
    }

    /** The sequence up to which {@code node} acknowledged every invalidation, as Redis recorded it. */
    private long acknowledged(NearCacheNode node) {
        String acked = node.client.<String, String>getMap(node.redisStore.channel().sequenceKey().replace("~seq", "~acks"),
                StringCodec.INSTANCE).get(stream(node).node());
        return acked == null ? 0 : Long.parseLong(acked);
    }

    private static NearCacheSettings leased() {
        return NearCacheSettings.leased(LEASE, DRIFT);
    }

    @Test
    void leased_readRightAfterAnotherNodesCommit_seesIt_andOtherHitsNeedNoRoundTrip() {
        NearCacheNode a = liveNode();
        NearCacheNode b = liveNode();
        assertEquals("v1", a.get());
        int rounds = 200;
        for (int i = 2; i < rounds + 2; i++) {
            b.write("v" + i);
            assertEquals("v" + i, a.get(), "node B's returned commit must be seen by node A's next read");
            assertEquals("v" + i, a.get());
        }
        assertEquals(0, a.store.validations.get(), "every hit while A held its lease was served locally");
        assertTrue(a.stats().nearHits() >= rounds, "near hits: " + a.stats().nearHits());
        assertEquals(rounds + 1, loads.get(), "one load per committed write, every other read a hit");
    }

    @Test
    void leased_hitsSendNoCommandToRedis() {
        RedisServerProcess server = server();
        NearCacheNode a = node(server, NearCacheSettings.leased(Duration.ofSeconds(20), DRIFT));
        a.awaitLive(WAIT, "the leased near cache never held a lease");
        assertEquals("v1", a.get());
        assertEquals("v1", a.get());
        stream(a).hold(); // no renewals during the count (the lease lasts 20 s)
        long before = commands(server);
        for (int i = 0; i < 1_000; i++) {
            assertEquals("v1", a.get());
        }
        assertEquals(0, commands(server) - before, "a leased hit sends nothing to Redis");
        assertEquals(1_001, a.stats().nearHits());
        assertEquals(1, loads.get());
    }

    /** Calls of every command except INFO itself, from {@code INFO commandstats}. */
    private static long commands(RedisServerProcess server) {
        long total = 0;
        for (String line : server.command("INFO", "commandstats").split("\r\n")) {
            if (line.startsWith("cmdstat_") && !line.startsWith("cmdstat_info:")) {
                int from = line.indexOf("calls=") + "calls=".length();
                total += Long.parseLong(line.substring(from, line.indexOf(',', from)));
            }
        }
        return total;
    }

    @Test
    void leased_pausedNode_holdsCommitsAtMostItsLease_andServesNothingStaleWhenItResumes() {
        NearCacheNode a = liveNode();
        NearCacheNode b = liveNode();
        assertEquals("v1", a.get());
        assertEquals("v1", a.get());
        assertEquals(0, a.store.validations.get());

        stream(a).hold(); // A stops renewing, acknowledging and receiving, as a stopped process does
        long start = System.nanoTime();
        b.write("v2");
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        assertFalse(a.near.pushedLive(), "B's commit returned only once A's own clock ended A's lease");
        assertTrue(waitedMillis <= LEASE.plus(LEASE.dividedBy(3)).toMillis(),
                "a commit waits at most the paused node's lease + one renewal period, waited " + waitedMillis + " ms");

        stream(a).unpause(); // A runs again; the messages it missed are still on their way
        assertEquals("v2", a.get(), "a node whose lease lapsed validates instead of serving its old value");
        stream(a).deliverHeld();
        a.awaitLive(WAIT, "the leased near cache never held a lease");
        assertEquals("v2", a.get());
        int validations = a.store.validations.get();
        assertEquals("v2", a.get());
        assertEquals(validations, a.store.validations.get(), "with a lease again, hits are local again");
    }

    @Test
    void leased_redisRestarted_noStaleRead_andHitsResume() {
        RedisServerProcess server = server();
        NearCacheNode a = node(server, leased());
        NearCacheNode b = node(server, leased());
        a.awaitLive(WAIT, "the leased near cache never held a lease");
        b.awaitLive(WAIT, "the leased near cache never held a lease");
        assertEquals("v1", a.get());
        assertEquals("v1", a.get());
        assertEquals(0, a.store.validations.get());

        // A's link is down across the restart (it misses whatever is published before it is back),
        // while its lease from before the restart is still valid by its own clock.
        stream(a).hold();
        server.restart(); // empty: membership, sequence and entries are gone
        database.set("v2");
        Await.until(() -> {
            try {
                b.store.bump(List.of(Tags.writeEpoch(ENTITY)), List.of(ROW));
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }, WAIT, "B's commit never reached the restarted Redis");
        assertEquals("v2", a.get(), "A's lease from before the restart must not vouch for its old value");
        stream(a).unpause();
        stream(a).deliverHeld();
        a.awaitLive(WAIT, "the leased near cache never held a lease");
        Await.until(() -> {
            int validations = a.store.validations.get();
            return "v2".equals(a.get()) && a.store.validations.get() == validations;
        }, WAIT, "hits never became local again after the restart");
    }

    /*
     * Redis stops answering while both nodes hold leases: B's commit cannot bump, so no node is
     * told. A still holds a lease from before by its own clock; had B's commit returned at once, A's
     * next read would serve the old value from that lease.
     */
    @Test
    void leased_commitWhoseBumpFails_returnsOnlyOnceNoLeaseFromBeforeCanVouchForTheOldValue() {
        RedisServerProcess server = server();
        Duration lease = Duration.ofSeconds(3); // renewed every second: A's lease outlives B's failed bump
        NearCacheNode a = node(server, NearCacheSettings.leased(lease, DRIFT));
        NearCacheNode b = node(server, NearCacheSettings.leased(lease, DRIFT));
        a.awaitLive(WAIT, "the leased near cache never held a lease");
        b.awaitLive(WAIT, "the leased near cache never held a lease");
        assertEquals("v1", a.get());
        assertEquals("v1", a.get());
        assertEquals(0, a.store.validations.get(), "A serves its kept value under its lease");
        InvalidationPublisher commits = new InvalidationPublisher(new GenerationalDependencyResolver(b.store),
                CacheGuard.standard(Duration.ofSeconds(1)), new CacheMetrics(), Duration.ofMillis(50),
                b.near.undeliveredCommitHold());
        try {
            server.pause();
            try {
                database.set("v2");
                commits.publish(new Invalidation(Set.of(Tags.writeEpoch(ENTITY)), Set.of(ROW)));
                assertEquals(1, commits.pendingCount(), "the bump did not reach the paused Redis");
                assertEquals("v2", a.get(), "a read after B's commit returned must not be served from A's lease");
            } finally {
                server.resume();
            }
            Await.until(() -> commits.pendingCount() == 0, WAIT, "the kept bump was never delivered");
            assertEquals("v2", a.get());
        } finally {
            commits.close();
        }
    }

    @Test
    void leased_concurrentWritesOnOneNode_readsOnAnother_neverSeeAVersionOlderThanTheLastReturnedCommit()
            throws InterruptedException {
        NearCacheNode a = liveNode();
        NearCacheNode b = liveNode();
        database.set("0");
        AtomicLong committed = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger stale = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            Thread reader = new Thread(() -> {
                while (!done.get()) {
                    long floor = committed.get();
                    long seen = Long.parseLong(a.get());
                    reads.incrementAndGet();
                    if (seen < floor) {
                        stale.incrementAndGet();
                    }
                }
            });
            reader.start();
            readers.add(reader);
        }
        for (long version = 1; version <= 500; version++) {
            b.write(Long.toString(version));
            committed.set(version);
        }
        done.set(true);
        for (Thread reader : readers) {
            reader.join();
        }
        assertEquals(0, stale.get(), "reads older than a returned commit, of " + reads.get());
        assertTrue(a.stats().nearHits() > 0, "some reads were local hits");
    }

    @Test
    void leased_announcedCommits_readRightAfterAnotherNodesCommit_seeIt() {
        NearCacheNode a = liveNode();
        NearCacheNode b = liveNode();
        assertEquals("v1", a.get());
        for (int i = 2; i < 202; i++) {
            b.writeAnnounced("v" + i);
            assertEquals("v" + i, a.get(), "node B's returned commit must be seen by node A's next read");
        }
        Await.until(() -> a.near.pushed().blocks() == 0, LEASE.dividedBy(2),
                "every bump lifted its prepare's block (a block ends by itself only after a lease term)");
        int validations = a.store.validations.get();
        assertEquals("v201", a.get());
        assertEquals("v201", a.get());
        assertEquals(validations, a.store.validations.get(), "once the blocks are lifted, hits are local again");
    }

    /**
     * A node acknowledges another node's announced commit once, for its prepare: the bump that
     * completes it is covered by the next acknowledgement or renewal, so each announced commit costs
     * every other node one acknowledgement script, and a prepare's acknowledgement never waits
     * behind the previous bump's.
     */
    @Test
    void leased_announcedCommits_costEveryOtherNodeOneAcknowledgementEach() throws InterruptedException {
        NearCacheNode a = liveNode();
        NearCacheNode b = liveNode();
        assertEquals("v1", a.get());
        String nodeA = stream(a).node();
        AtomicInteger acknowledgements = new AtomicInteger();
        AcknowledgementCounter listener = new AcknowledgementCounter(b, nodeA, acknowledgements);
        try {
            int commits = 60;
            long start = System.nanoTime();
            for (int i = 2; i < commits + 2; i++) {
                b.writeAnnounced("v" + i);
                assertEquals("v" + i, a.get());
                Thread.sleep(2); // commits apart, as in an application: each is acknowledged on its own
            }
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            Thread.sleep(50);
            long renewals = elapsedMillis / LEASE.dividedBy(3).toMillis() + 2;
            assertTrue(acknowledgements.get() <= commits + renewals, acknowledgements.get()
                    + " acknowledgements from node A for " + commits + " announced commits and at most " + renewals
                    + " renewals");
            assertTrue(acknowledgements.get() >= commits / 2, "node A acknowledged the prepares: " + acknowledgements.get());
        } finally {
            listener.close();
        }
    }

    /** Counts {@code node}'s acknowledgements announced on the namespace's acknowledgement channel. */
    private static final class AcknowledgementCounter implements AutoCloseable {
        private final RTopic topic;
        private final int id;

        AcknowledgementCounter(NearCacheNode on, String node, AtomicInteger count) {
            topic = on.client.getTopic(on.redisStore.channel().acknowledgementChannel(), StringCodec.INSTANCE);
            id = topic.addListener(String.class, (channel, message) -> {
                if (message.startsWith(node + " ")) {
                    count.incrementAndGet();
                }
            });
        }

        @Override
        public void close() {
            topic.removeListener(id);
        }
    }

    @Test
    void leased_announcedCommit_returnsWithoutTheBumpsAcknowledgement_andTheBlockKeepsTheOldValueFromBeingServed() throws InterruptedException {
        NearCacheNode a = liveNode();
        NearCacheNode b = liveNode();
        assertEquals("v1", a.get());
        assertEquals("v1", a.get());

        Thread.sleep(LEASE.plus(DRIFT).toMillis()); // past the young membership's wait (bump.lua)
        long before = sequence(a);
        b.near.prepare(List.of(ROW)); // sent without waiting: its sequence is known once Redis ran it
        Await.until(() -> sequence(a) != before, WAIT, "Redis ran B's prepare");
        long prepare = sequence(a);
        Await.until(() -> acknowledged(a) >= prepare, WAIT, "A acknowledged B's prepare");
        stream(a).hold(); // A stops: it will not acknowledge the bump
        long start = System.nanoTime();
        b.write("v2");
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waitedMillis < LEASE.toMillis() / 2, "the prepare's acknowledgement was enough, waited "
                + waitedMillis + " ms (without it the commit waits for A's lease to end)");
        assertTrue(a.near.pushedLive(), "A still holds its lease: only the block keeps it from serving v1");
        assertEquals("v2", a.get(), "a blocked tag is validated by round trip, and sees the bump");
        stream(a).unpause();
        stream(a).deliverHeld();
    }

    @Test
    void leased_announcedCommitWhoseBlockMayHaveEnded_waitsForTheBumpsAcknowledgement() throws InterruptedException {
        NearCacheNode a = liveNode();
        NearCacheNode b = liveNode();
        assertEquals("v1", a.get());

        b.near.prepare(List.of(ROW));
        Await.until(() -> a.near.pushed().blocks() == 1, WAIT, "A applied B's prepare");
        Thread.sleep(LEASE.plus(DRIFT).toMillis()); // a database commit slower than the block
        stream(a).hold();
        long start = System.nanoTime();
        b.write("v2");
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        assertFalse(a.near.pushedLive(), "B's commit returned only once A's own clock ended A's lease");
        assertTrue(waitedMillis >= LEASE.toMillis() / 3, "the old prepare did not release the commit, waited "
                + waitedMillis + " ms");
        stream(a).unpause();
        assertEquals("v2", a.get());
        stream(a).deliverHeld();
    }

    @Test
    void leased_prepareAlreadyCarriedByAnotherBump_doesNotReleaseTheCommitThatAdoptsItAgain() throws InterruptedException {
        NearCacheNode a = liveNode();
        NearCacheNode b = liveNode();
        assertEquals("v1", a.get());

        Thread.sleep(LEASE.plus(DRIFT).toMillis()); // past the young membership's wait (bump.lua)
        Announcement announced = b.near.prepare(List.of(ROW), null, 0);
        assertNotNull(announced, "B announced its commit");
        Await.until(() -> a.near.pushed().blocks() == 1, WAIT, "A applied B's prepare");
        b.write("v1'"); // another bump of B's thread covers the tags first: its message lifts the block
        Await.until(() -> a.near.pushed().blocks() == 0, WAIT, "the other bump lifted the block");
        assertFalse(announced.current(), "a bump carried it");
        announced.adopt(); // the commit it announced comes to its bump
        stream(a).hold(); // A stops: it will not acknowledge the bump
        long start = System.nanoTime();
        b.write("v2");
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waitedMillis >= LEASE.toMillis() / 3, "the lifted prepare did not release the commit, waited "
                + waitedMillis + " ms");
        assertFalse(a.near.pushedLive(), "B's commit returned only once A's own clock ended A's lease");
        stream(a).unpause();
        assertEquals("v2", a.get());
        stream(a).deliverHeld();
    }

    @Test
    void leased_abandonedPrepare_isLiftedAtOnce_notAfterALeaseTerm() {
        NearCacheNode a = liveNode();
        NearCacheNode b = liveNode();
        assertEquals("v1", a.get());
        b.near.prepare(List.of(ROW));
        Await.until(() -> a.near.pushed().blocks() == 1, WAIT, "A applied B's prepare");
        b.near.abandonPrepared(); // B's transaction rolled back
        Await.until(() -> a.near.pushed().blocks() == 0, LEASE.dividedBy(2),
                "the rolled-back transaction's block is lifted before it would end by itself");
        assertEquals("v1", a.get());
        int validations = a.store.validations.get();
        assertEquals("v1", a.get());
        assertEquals(validations, a.store.validations.get(), "hits are local again");
    }
}
