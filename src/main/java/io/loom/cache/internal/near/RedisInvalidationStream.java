package io.loom.cache.internal.near;

import io.loom.cache.internal.generation.InvalidationChannel;
import io.loom.cache.internal.generation.LeaseChannel;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;
import org.redisson.api.RTopic;
import org.redisson.api.listener.MessageListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Feeds an {@link InvalidationLog} from the Redis invalidation channel: every bump's tags (from any
 * node, in Redis's sequence) and this node's heartbeats, sent every quarter of {@code max-lag}
 * (pushed), or, with a {@link LeaseMembership}, its lease renewals, after each of which the
 * lease holds from the renewal's sending until its heartbeat returns in sequence (leased).
 * This node's own bumps are recorded as soon as Redis applied them, before their message returns.
 * Starting never waits for Redis: the subscription is made (and, while Redis is unreachable,
 * retried) on the heartbeat thread. Closing unsubscribes and stops the heartbeats.
 */
public final class RedisInvalidationStream implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisInvalidationStream.class);
    private static final Duration MIN_HEARTBEAT = Duration.ofMillis(5);

    private final InvalidationChannel store;
    private final InvalidationLog log;
    private final String node;
    /** Null in pushed mode. */
    private final LeaseMembership lease;
    /** Messages held back while this node is held (a pause seam for tests; see {@link #hold}). */
    private final List<byte[]> held = new ArrayList<>();
    private boolean holding;
    private volatile boolean paused;
    private final RTopic topic;
    private final MessageListener<byte[]> listener = (channel, message) -> onMessage(message);
    private final AtomicBoolean subscribing = new AtomicBoolean();
    /** Set once subscribed; until then heartbeats retry the subscription (Redis may be down at start). */
    private volatile Integer listenerId;
    private volatile boolean closed;
    private final ScheduledExecutorService heartbeats;
    /** Redis's sequence of the last message or heartbeat seen in order; -1 before the first heartbeat. */
    private long lastSequence = -1;
    /**
     * The first sequence of the unbroken run of messages this node has received since its last
     * gap or baseline (every message from it on was applied); none before the first heartbeat.
     */
    private long unbrokenFrom = Long.MAX_VALUE;

    private RedisInvalidationStream(InvalidationChannel store, InvalidationLog log, Duration every,
                                    LeaseMembership lease) {
        this.store = store;
        this.log = log;
        this.lease = lease;
        this.node = lease == null ? UUID.randomUUID().toString() : lease.node();
        this.topic = store.invalidationTopic();
        store.addBumpListener(bumped -> log.invalidateOwn(bumped.tags(), bumped.clock(), bumped.sequence()));
        if (lease != null) {
            store.addBumpListener(lease::awaitAcknowledgements); // after this node dropped its own values
        }
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "loom-near-cache-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(MIN_HEARTBEAT.toNanos(), every.toNanos());
        heartbeats.scheduleWithFixedDelay(this::sendHeartbeat, 0, period, TimeUnit.NANOSECONDS);
    }

    /** Subscribes to {@code store}'s invalidation channel and starts the heartbeats (pushed mode). */
    public static RedisInvalidationStream start(InvalidationChannel store, InvalidationLog log, Duration maxLag) {
        return new RedisInvalidationStream(store, log, maxLag.dividedBy(4), null);
    }

    /** Subscribes and starts renewing {@code lease} every {@code renewal} (leased mode). */
    static RedisInvalidationStream leased(LeaseChannel store, InvalidationLog log, Duration renewal,
                                          LeaseMembership lease) {
        return new RedisInvalidationStream(store, log, renewal, lease);
    }

    /** This node's id on the channel (its lease id in leased mode). */
    String node() {
        return node;
    }

    /** See {@link NearCache#prepare}. */
    Announcement prepare(Collection<String> tags, String record, long replayMillis) {
        return lease == null ? null : lease.prepare(tags, record, replayMillis);
    }

    /** See {@link NearCache#abandonPrepared}. */
    void abandonPrepared() {
        if (lease != null) {
            lease.abandonPrepared();
        }
    }

    /** Subscribes without blocking; a failure (Redis down) is retried at the next heartbeat. */
    private void subscribe() {
        if (!subscribing.compareAndSet(false, true)) {
            return;
        }
        topic.addListenerAsync(byte[].class, listener).whenComplete((id, error) -> {
            if (error == null) {
                listenerId = id;
                if (closed) {
                    unsubscribe();
                } else {
                    heartbeats.execute(this::sendHeartbeat); // live at once, not one period later
                }
            } else {
                LOG.debug("Loom Cache near cache could not subscribe to {}: {}", store.invalidationChannel(),
                        error.toString());
            }
            subscribing.set(false);
        });
    }

    private void sendHeartbeat() {
        if (paused) {
            return;
        }
        if (listenerId == null) {
            subscribe();
            return;
        }
        try {
            String token = Long.toString(log.now()); // taken before sending: the lease counts from here
            if (lease == null) {
                store.heartbeat(node, token);
            } else {
                lease.renew(token);
            }
        } catch (RuntimeException e) {
            // Not live until a heartbeat returns again: hits are validated by round trip meanwhile.
            LOG.debug("Loom Cache near-cache heartbeat failed: {}", e.toString());
        }
    }

    /**
     * One message of the channel: {sequence, origin, tag...} for a bump (origin: the committing
     * node's lease id, or ""), {"hb", node, sequence, token} for a heartbeat.
     */
    synchronized void onMessage(byte[] message) {
        if (holding) {
            held.add(message);
            return;
        }
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(message)) {
            int size = unpacker.unpackArrayHeader();
            if (size >= 4 && unpacker.getNextFormat().getValueType() == ValueType.STRING) {
                String kind = unpacker.unpackString();
                if (kind.equals("p")) {
                    long sequence = unpacker.unpackLong();
                    String origin = unpacker.unpackString();
                    long blockMillis = unpacker.unpackLong();
                    List<String> tags = tags(unpacker, size - 4);
                    inSequence(sequence);
                    if (lease != null && !origin.equals(node)) {
                        log.block(sequence, tags, TimeUnit.MILLISECONDS.toNanos(blockMillis));
                    }
                    applied(sequence, origin);
                    return;
                }
                String sender = unpacker.unpackString(); // "hb"
                long sequence = unpacker.unpackLong();
                String token = unpacker.unpackString();
                onHeartbeat(sender, sequence, token);
                return;
            }
            long sequence = unpacker.unpackLong();
            String origin = unpacker.unpackString();
            long prepared = unpacker.unpackLong();
            List<String> tags = tags(unpacker, size - 3);
            inSequence(sequence);
            log.invalidatePushed(sequence, tags);
            if (prepared != 0 && log.lift(prepared) && lease != null) {
                lease.appliedCovered(sequence, unbrokenFrom);
            } else {
                applied(sequence, origin);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Loom Cache dropped its near cache: unreadable invalidation message ({})", e.toString());
            log.reset();
        }
    }

    private static List<String> tags(MessageUnpacker unpacker, int count) throws IOException {
        List<String> tags = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            tags.add(unpacker.unpackString());
        }
        return tags;
    }

    /** Message {@code sequence} arrived: a gap means one was missed, and everything kept is forgotten. */
    private void inSequence(long sequence) {
        if (lastSequence >= 0 && sequence != lastSequence + 1) {
            log.reset(); // missed a message
            unbrokenFrom = sequence;
        }
        if (lastSequence >= 0) {
            lastSequence = sequence;
        }
    }

    private void applied(long sequence, String origin) {
        if (lease != null) {
            lease.applied(sequence, origin, unbrokenFrom);
        }
    }

    private void onHeartbeat(String sender, long sequence, String token) {
        if (lastSequence < 0 || sequence != lastSequence) {
            // The first heartbeat (nothing before it was watched), or messages were missed.
            log.reset();
            lastSequence = sequence;
            unbrokenFrom = sequence + 1;
        }
        if (sender.equals(node)) {
            if (lease != null && !log.live()) {
                log.reset(); // the lease lapsed (paused, cut off): forget what was kept under it
            }
            log.heartbeatReturned(Long.parseLong(token));
        }
    }

    /**
     * Test seam simulating a paused process (GC, SIGSTOP): stops renewals and acknowledgements, and
     * holds back every message as the socket would, until {@link #unpause} and {@link #deliverHeld}.
     */
    synchronized void hold() {
        paused = true;
        holding = true;
        if (lease != null) {
            lease.pause(true);
        }
    }

    /** Renewals and acknowledgements go on again; held messages stay held until {@link #deliverHeld}. */
    void unpause() {
        paused = false;
        if (lease != null) {
            lease.pause(false);
        }
    }

    /** Applies the held messages in order and stops holding. */
    synchronized void deliverHeld() {
        holding = false;
        List<byte[]> messages = new ArrayList<>(held);
        held.clear();
        messages.forEach(this::onMessage);
    }

    @Override
    public void close() {
        closed = true;
        heartbeats.shutdownNow();
        unsubscribe();
        if (lease != null) {
            lease.close();
        }
    }

    private void unsubscribe() {
        Integer id = listenerId;
        if (id == null) {
            return;
        }
        try {
            topic.removeListener(id);
        } catch (RuntimeException e) {
            LOG.debug("Loom Cache could not unsubscribe from {}: {}", store.invalidationChannel(), e.toString());
        }
    }
}
