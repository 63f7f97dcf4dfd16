package io.loom.cache.hibernate.e2e;

import io.loom.cache.testing.Await;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.codec.StringCodec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Every message of a namespace's invalidation channel, in order, as a client of its own receives
 * them: prepares, bumps, lifts and heartbeats, for tests that check what a commit announced.
 */
public final class ChannelWatcher implements AutoCloseable {

    private final String namespace;
    private final RedissonClient client;
    private final List<Message> messages = new ArrayList<>();

    private ChannelWatcher(String namespace, RedissonClient client) {
        this.namespace = namespace;
        this.client = client;
        client.getTopic(namespace + ":gen:~invalidations", ByteArrayCodec.INSTANCE).addListener(byte[].class,
                (name, bytes) -> {
                    Message message = Message.decode(bytes);
                    synchronized (messages) {
                        messages.add(message);
                    }
                });
    }

    /** Starts watching {@code namespace}'s channel through {@code client}, which {@link #close()} shuts down. */
    public static ChannelWatcher watch(String namespace, RedissonClient client) {
        return new ChannelWatcher(namespace, client);
    }

    /** Waits until every message Redis has numbered so far reached the watcher; returns how many it holds. */
    public int settled() {
        String last = client.<String>getBucket(namespace + ":gen:~seq", StringCodec.INSTANCE).get();
        long sequence = last == null ? 0 : Long.parseLong(last);
        Await.until(() -> count(message -> message.sequence() >= sequence) > 0,
                "the watcher received message " + sequence);
        synchronized (messages) {
            return messages.size();
        }
    }

    public int count(Predicate<Message> kind) {
        synchronized (messages) {
            return (int) messages.stream().filter(kind).count();
        }
    }

    public Message awaitFrom(int start, Predicate<Message> wanted) {
        Message[] found = new Message[1];
        Await.until(() -> {
            synchronized (messages) {
                found[0] = messages.subList(start, messages.size()).stream().filter(wanted).findFirst().orElse(null);
            }
            return found[0] != null;
        }, "no such message on the invalidation channel");
        return found[0];
    }

    /** The messages from {@code start} up to, not including, {@code end}. */
    public List<Message> from(int start, Message end) {
        synchronized (messages) {
            List<Message> out = new ArrayList<>();
            for (Message message : messages.subList(start, messages.size())) {
                if (message == end) {
                    break;
                }
                out.add(message);
            }
            return out;
        }
    }

    /** One message of the channel: kind, sequence, the prepare a bump or lift completes, tags. */
    public record Message(String kind, long sequence, long prepared, List<String> tags) {

        public boolean prepare() {
            return kind.equals("p");
        }

        public boolean bump() {
            return kind.equals("bump");
        }

        public boolean lift() {
            return kind.equals("lift");
        }

        static Message decode(byte[] bytes) {
            try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(bytes)) {
                int size = unpacker.unpackArrayHeader();
                if (unpacker.getNextFormat().getValueType() == ValueType.STRING) {
                    String kind = unpacker.unpackString();
                    if (!kind.equals("p")) {
                        return new Message(kind, 0, 0, List.of()); // a heartbeat
                    }
                    long sequence = unpacker.unpackLong();
                    unpacker.unpackString(); // node
                    unpacker.unpackLong(); // block
                    return new Message("p", sequence, 0, strings(unpacker, size - 4));
                }
                long sequence = unpacker.unpackLong();
                unpacker.unpackString(); // origin
                long prepared = unpacker.unpackLong();
                List<String> tags = strings(unpacker, size - 3);
                return new Message(tags.isEmpty() ? "lift" : "bump", sequence, prepared, tags);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static List<String> strings(MessageUnpacker unpacker, int count) throws IOException {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                out.add(unpacker.unpackString());
            }
            return out;
        }
    }

    @Override
    public void close() {
        client.shutdown();
    }
}
