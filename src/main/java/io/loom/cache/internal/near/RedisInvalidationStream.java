package io.loom.cache.internal.near;

import io.loom.cache.internal.generation.RedisGenerationStore;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;
import org.redisson.api.RTopic;
import org.redisson.api.listener.MessageListener;
import org.redisson.client.codec.ByteArrayCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Feeds an {@link InvalidationLog} from the Redis invalidation channel: every bump's tags (from any
 * node, in Redis's sequence) and this node's heartbeats, sent every quarter of {@code max-lag}.
 * This node's own bumps are recorded as soon as Redis applied them, before their message returns.
 * Starting never waits for Redis: the subscription is made (and, while Redis is unreachable,
 * retried) on the heartbeat thread. Closing unsubscribes and stops the heartbeats.
 */
public final class RedisInvalidationStream implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisInvalidationStream.class);
    private static final Duration MIN_HEARTBEAT = Duration.ofMillis(5);

    private final RedisGenerationStore store;
    private final InvalidationLog log;
    private final String node = UUID.randomUUID().toString();
    private final RTopic topic;
    private final MessageListener<byte[]> listener = (channel, message) -> onMessage(message);
    private final AtomicBoolean subscribing = new AtomicBoolean();
    /** Set once subscribed; until then heartbeats retry the subscription (Redis may be down at start). */
    private volatile Integer listenerId;
    private volatile boolean closed;
    private final ScheduledExecutorService heartbeats;
    /** Redis's sequence of the last message or heartbeat seen in order; -1 before the first heartbeat. */
    private long lastSequence = -1;

    private RedisInvalidationStream(RedisGenerationStore store, InvalidationLog log, Duration maxLag) {
        this.store = store;
        this.log = log;
        this.topic = store.client().getTopic(store.invalidationChannel(), ByteArrayCodec.INSTANCE);
        store.addBumpListener(log::invalidate);
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "loom-near-cache-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.max(MIN_HEARTBEAT.toNanos(), maxLag.toNanos() / 4);
        heartbeats.scheduleWithFixedDelay(this::sendHeartbeat, 0, every, TimeUnit.NANOSECONDS);
    }

    /** Subscribes to {@code store}'s invalidation channel and starts the heartbeats. */
    public static RedisInvalidationStream start(RedisGenerationStore store, InvalidationLog log, Duration maxLag) {
        return new RedisInvalidationStream(store, log, maxLag);
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
        if (listenerId == null) {
            subscribe();
            return;
        }
        try {
            store.heartbeat(node, Long.toString(System.nanoTime()));
        } catch (RuntimeException e) {
            // Not live until a heartbeat returns again: hits are validated by round trip meanwhile.
            LOG.debug("Loom Cache near-cache heartbeat failed: {}", e.toString());
        }
    }

    /** One message of the channel: {sequence, tag...} for a bump, {"hb", node, sequence, token} for a heartbeat. */
    synchronized void onMessage(byte[] message) {
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(message)) {
            int size = unpacker.unpackArrayHeader();
            if (size >= 4 && unpacker.getNextFormat().getValueType() == ValueType.STRING) {
                unpacker.unpackString(); // "hb"
                String sender = unpacker.unpackString();
                long sequence = unpacker.unpackLong();
                String token = unpacker.unpackString();
                onHeartbeat(sender, sequence, token);
                return;
            }
            long sequence = unpacker.unpackLong();
            List<String> tags = new ArrayList<>(size - 1);
            for (int i = 1; i < size; i++) {
                tags.add(unpacker.unpackString());
            }
            if (lastSequence >= 0 && sequence != lastSequence + 1) {
                log.reset(); // missed a message
            }
            log.invalidate(tags);
            if (lastSequence >= 0) {
                lastSequence = sequence;
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Loom Cache dropped its near cache: unreadable invalidation message ({})", e.toString());
            log.reset();
        }
    }

    private void onHeartbeat(String sender, long sequence, String token) {
        if (lastSequence < 0 || sequence != lastSequence) {
            // The first heartbeat (nothing before it was watched), or messages were missed.
            log.reset();
            lastSequence = sequence;
        }
        if (sender.equals(node)) {
            log.heartbeatReturned(Long.parseLong(token));
        }
    }

    @Override
    public void close() {
        closed = true;
        heartbeats.shutdownNow();
        unsubscribe();
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
