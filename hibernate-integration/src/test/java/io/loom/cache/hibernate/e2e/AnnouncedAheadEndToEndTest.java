package io.loom.cache.hibernate.e2e;

import io.loom.cache.hibernate.model.Book;
import io.loom.cache.testing.Await;
import io.loom.cache.testing.RedisTestNamespace;
import org.hibernate.resource.jdbc.spi.StatementInspector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.codec.StringCodec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import static io.loom.cache.hibernate.e2e.TwoNodes.rename;
import static io.loom.cache.hibernate.e2e.TwoNodes.title;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Leased commits announced before the statement of their only change runs (AheadAnnouncer): the
 * announcement is in Redis while the UPDATE is still to be executed, one announcement serves the
 * commit, and a transaction whose changes outgrow it, or that rolls back, withdraws it. Watches
 * the namespace's invalidation channel with a client of its own.
 */
class AnnouncedAheadEndToEndTest {

    private static final PausingInspector INSPECTOR = new PausingInspector();
    private static TwoNodes nodes;
    private static RedisTestNamespace namespace;
    private static RedissonClient watcher;
    private static final List<Message> messages = new ArrayList<>();

    @BeforeAll
    static void start() {
        namespace = RedisTestNamespace.create(AnnouncedAheadEndToEndTest.class);
        watcher = RedisTestNamespace.newClient();
        RTopic channel = watcher.getTopic(namespace.namespace() + ":gen:~invalidations", ByteArrayCodec.INSTANCE);
        channel.addListener(byte[].class, (name, bytes) -> {
            Message message = Message.decode(bytes);
            synchronized (messages) {
                messages.add(message);
            }
        });
        nodes = TwoNodes.start(namespace.namespace(), Map.of("loom.cache.near-cache.mode", "leased",
                "hibernate.session_factory.statement_inspector", INSPECTOR));
    }

    @AfterAll
    static void stop() {
        nodes.close();
        watcher.shutdown();
        namespace.close();
    }

    @BeforeEach
    void calm() {
        INSPECTOR.pauseOn = null;
    }

    @Test
    void singleChange_isInRedisBeforeItsStatementRuns() {
        long id = nodes.bookId(31);
        rename(nodes.a, id, "before");
        settled();
        int seen = count(Message::prepare);
        INSPECTOR.pauseOn = sql -> sql.startsWith("update book");
        INSPECTOR.waitFor = () -> count(Message::prepare) > seen;
        rename(nodes.a, id, "after");
        assertTrue(INSPECTOR.held, "the UPDATE ran while its announcement was already on the channel");
        assertEquals("after", title(nodes.b, id));
    }

    @Test
    void singleChange_oneAnnouncementServesTheCommit() {
        long id = nodes.bookId(32);
        rename(nodes.a, id, "v0");
        int start = settled();
        rename(nodes.a, id, "v1");
        Message bump = awaitFrom(start, message -> message.bump() && message.prepared() != 0);
        List<Message> before = from(start, bump);
        List<Message> prepares = before.stream().filter(Message::prepare).toList();
        assertEquals(1, prepares.size(), "announcements before the commit's bump: " + before);
        assertEquals(prepares.get(0).sequence(), bump.prepared(), "the bump completes the early announcement");
        assertEquals("v1", title(nodes.b, id));
    }

    @Test
    void changesBeyondTheEarlyAnnouncement_withdrawItAndAnnounceTheWhole() {
        long first = nodes.bookId(33);
        long second = nodes.bookId(34);
        rename(nodes.a, first, "one");
        rename(nodes.a, second, "two");
        assertEquals("one", title(nodes.b, first));
        assertEquals("two", title(nodes.b, second));
        int start = settled();
        nodes.a.emf().runInTransaction(em -> {
            em.find(Book.class, first).setTitle("one'");
            em.flush(); // announced ahead: the only change so far
            em.find(Book.class, second).setTitle("two'");
        });
        assertEquals("one'", title(nodes.b, first));
        assertEquals("two'", title(nodes.b, second));
        Message bump = awaitFrom(start, message -> message.bump() && message.prepared() != 0);
        List<Message> prepares = from(start, bump).stream().filter(Message::prepare)
                .sorted(java.util.Comparator.comparingInt(message -> message.tags().size())).toList();
        assertEquals(2, prepares.size(), "the early announcement and the whole commit's");
        Message early = prepares.get(0);
        Message whole = prepares.get(1);
        assertTrue(whole.tags().containsAll(early.tags()) && whole.tags().size() > early.tags().size(),
                "the second announcement covers both rows: " + prepares);
        assertEquals(whole.sequence(), bump.prepared(), "the bump completes the whole commit's announcement");
        awaitFrom(start, message -> message.lift() && message.prepared() == early.sequence());
    }

    @Test
    void twoChangesInOneFlush_areAnnouncedOnceBeforeCompletion() {
        long first = nodes.bookId(35);
        long second = nodes.bookId(36);
        rename(nodes.a, first, "x");
        int start = settled();
        nodes.a.emf().runInTransaction(em -> {
            em.find(Book.class, first).setTitle("x'");
            em.find(Book.class, second).setTitle("y'");
        });
        Message bump = awaitFrom(start, message -> message.bump() && message.prepared() != 0);
        List<Message> prepares = from(start, bump).stream().filter(Message::prepare).toList();
        assertEquals(1, prepares.size(), "no announcement ahead of a flush with two changes");
        assertEquals("x'", title(nodes.b, first));
        assertEquals("y'", title(nodes.b, second));
    }

    @Test
    void rolledBackAfterAnnouncingAhead_withdrawsIt() {
        long id = nodes.bookId(37);
        rename(nodes.a, id, "kept");
        assertEquals("kept", title(nodes.b, id));
        int start = settled();
        var em = nodes.a.emf().createEntityManager();
        try {
            em.getTransaction().begin();
            em.find(Book.class, id).setTitle("rolled back");
            em.flush();
            em.getTransaction().rollback();
        } finally {
            em.close();
        }
        Message prepare = awaitFrom(start, Message::prepare);
        awaitFrom(start, message -> message.lift() && message.prepared() == prepare.sequence());
        assertEquals("kept", title(nodes.b, id));
        assertEquals("kept", title(nodes.a, id));
    }

    /** Waits until every message Redis has numbered so far reached the watcher; returns how many it holds. */
    private static int settled() {
        String last = watcher.<String>getBucket(namespace.namespace() + ":gen:~seq", StringCodec.INSTANCE).get();
        long sequence = last == null ? 0 : Long.parseLong(last);
        Await.until(() -> count(message -> message.sequence() >= sequence) > 0,
                "the watcher received message " + sequence);
        synchronized (messages) {
            return messages.size();
        }
    }

    private static int count(Predicate<Message> kind) {
        synchronized (messages) {
            return (int) messages.stream().filter(kind).count();
        }
    }

    private static Message awaitFrom(int start, Predicate<Message> wanted) {
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
    private static List<Message> from(int start, Message end) {
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
    private record Message(String kind, long sequence, long prepared, List<String> tags) {

        boolean prepare() {
            return kind.equals("p");
        }

        boolean bump() {
            return kind.equals("bump");
        }

        boolean lift() {
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

    /**
     * Holds a matching statement until {@link #waitFor} holds (at most 5 s) and records whether it
     * did; the test asserts it, since an exception here would fail the application's write.
     */
    static final class PausingInspector implements StatementInspector {
        volatile Predicate<String> pauseOn;
        volatile java.util.function.BooleanSupplier waitFor;
        volatile boolean held;

        @Override
        public String inspect(String sql) {
            Predicate<String> pause = pauseOn;
            if (pause != null && pause.test(sql.toLowerCase(Locale.ROOT))) {
                pauseOn = null;
                try {
                    Await.until(waitFor, Duration.ofSeconds(5), "announcement");
                    held = true;
                } catch (AssertionError e) {
                    held = false;
                }
            }
            return sql;
        }
    }
}
