package io.loom.cache.internal.generation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/*
 * Redis generation store: every operation is one Lua script, so one round trip, and atomic.
 *
 * read.lua   GET the entry, unpack its header and MGET its tags; a hit returns the payload only.
 *            On a miss it also returns the entity write epochs the caller will watch.
 *            When the entry's tags are known beforehand, a single MGET of the entry, those
 *            counters and the epochs replaces the script (several microseconds of Lua on the
 *            server, per read) and the stamp is compared here. Known means: the caller says so
 *            (a lookup by id depends on its entity and row tags), or this store stamped or read
 *            the entry before and remembers its tags (a bounded map of the most recent keys). An
 *            entry stamped with a tag outside the expected ones is validated by the script after
 *            all, and its tags are remembered for the next read.
 * store.lua  compares the watched epochs with the values read before the load; when none moved,
 *            reads (or creates from the server clock) the generation of every dependency tag,
 *            writes the stamped entry and extends the counters' TTL to at least the entry's.
 * bump.lua   INCRs every present dependency tag and every epoch (creating absent epochs from the
 *            server clock) of one transaction, and publishes the dependency tags with a sequence
 *            number for the near caches of every node (see io.loom.cache.internal.near).
 * heartbeat.lua publishes a node's heartbeat in sequence with those messages.
 *
 * Why a lost counter can never make an old entry look current: a counter is only ever created
 * from the server clock in microseconds, and afterwards only incremented. An entry stamped with
 * a counter that has since vanished fails validation (the value is absent), and a counter created
 * again starts above every value its predecessor could have reached (it would take more than one
 * committed write per microsecond for the old one to catch up with the clock).
 *
 * The entry and its counters must live on one Redis server (or one cluster slot), since the
 * scripts touch both. On Redis Cluster the namespace is therefore a hash tag ({app}): every key of
 * one namespace hashes to one slot, so the scripts stay single-slot (LoomCache enforces it). The
 * trade-off: one namespace does not spread over the cluster's masters; several applications (or
 * several namespaces of one) do.
 */
/**
 * {@link GenerationStore} on one Redis deployment through Redisson.
 *
 * <p>Thread-safe. On Redis Cluster every key of the namespace must hash to one slot (a hash-tag
 * namespace such as {@code {app}}).
 */
public final class RedisGenerationStore implements GenerationStore {

    private static final LuaScript READ = LuaScript.load("read.lua");
    private static final LuaScript STORE = LuaScript.load("store.lua");
    private static final LuaScript BUMP = LuaScript.load("bump.lua");
    private static final LuaScript HEARTBEAT = LuaScript.load("heartbeat.lua");
    /** Bound of the remembered entry tags (lists and views; a few kilobytes each at most). */
    static final int REMEMBERED_ENTRIES = 4_096;

    private final RedissonClient client;
    private final MultiGet multiGet;
    private final String entryPrefix;
    private final String counterPrefix;
    private final Duration counterTtlFloor;
    private final List<Consumer<Collection<String>>> bumpListeners = new CopyOnWriteArrayList<>();
    /** Tags of recently stamped or read entries: a hint only, validated against every entry's header. */
    private final Cache<String, Set<String>> stampedTags = Caffeine.newBuilder().maximumSize(REMEMBERED_ENTRIES).build();

    /**
     * @param client          the Redisson client reaching both entries and counters
     * @param entryPrefix     prefix of every entry key (namespace included)
     * @param counterPrefix   prefix of every counter key (namespace included)
     * @param counterTtlFloor counters stamped into an entry live at least this long (and at least as
     *                        long as the entry); {@link Duration#ZERO} keeps them forever
     */
    public RedisGenerationStore(RedissonClient client, String entryPrefix, String counterPrefix,
                                Duration counterTtlFloor) {
        this.client = client;
        this.multiGet = new MultiGet(client);
        this.entryPrefix = entryPrefix;
        this.counterPrefix = counterPrefix;
        this.counterTtlFloor = counterTtlFloor;
    }

    @Override
    public ReadResult read(String entryKey, List<String> epochTags) {
        Set<String> remembered = stampedTags.getIfPresent(entryKey);
        return remembered != null ? read(entryKey, remembered, epochTags) : readByScript(entryKey, epochTags);
    }

    private ReadResult readByScript(String entryKey, List<String> epochTags) {
        Object[] args = new Object[1 + epochTags.size()];
        args[0] = bytes(counterPrefix);
        for (int i = 0; i < epochTags.size(); i++) {
            args[i + 1] = bytes(epochTags.get(i));
        }
        List<Object> reply = READ.run(client, RScript.Mode.READ_ONLY, RScript.ReturnType.LIST,
                List.of(bytes(entryPrefix + entryKey)), args);
        long status = (Long) reply.get(0);
        if (status == 1) {
            byte[] header = (byte[]) reply.get(2);
            return ReadResult.hit((byte[]) reply.get(1), StampedEntryFormat.decodeHeader(header, 0, header.length));
        }
        List<EpochValue> epochs = new ArrayList<>(epochTags.size());
        for (int i = 0; i < epochTags.size(); i++) {
            epochs.add(new EpochValue(epochTags.get(i), text(reply.get(i + 2))));
        }
        Status outcome = status == 0 ? Status.ABSENT : status == 2 ? Status.STALE : Status.FOREIGN;
        return new ReadResult(outcome, null, epochs);
    }

    /**
     * One MGET of the entry, the expected tags' counters and the epochs, compared here. Reading
     * the counters after the entry (in the same command) is safe: a generation equal to the
     * stamped one at that moment means the tag has not moved since the entry was stamped, since
     * counters only grow and a recreated counter starts above every earlier value.
     */
    @Override
    public ReadResult read(String entryKey, Collection<String> expectedTags, List<String> epochTags) {
        if (expectedTags.isEmpty()) {
            return readByScript(entryKey, epochTags);
        }
        String entryName = entryPrefix + entryKey;
        String[] names = new String[1 + expectedTags.size() + epochTags.size()];
        names[0] = entryName;
        int i = 1;
        for (String tag : expectedTags) {
            names[i++] = counterPrefix + tag;
        }
        for (String tag : epochTags) {
            names[i++] = counterPrefix + tag;
        }
        List<byte[]> found = multiGet.get(names);
        int epochsAt = 1 + expectedTags.size();
        byte[] raw = found.get(0);
        if (raw == null) {
            return new ReadResult(Status.ABSENT, null, epochs(epochTags, found, epochsAt));
        }
        StampedEntryFormat.Decoded entry = StampedEntryFormat.decode(raw);
        if (entry == null) {
            return new ReadResult(Status.FOREIGN, null, epochs(epochTags, found, epochsAt));
        }
        Map<String, byte[]> counters = new HashMap<>(2 * expectedTags.size());
        int at = 1;
        for (String tag : expectedTags) {
            counters.put(tag, found.get(at++));
        }
        boolean complete = true;
        for (int t = 0; t < entry.tags().size(); t++) {
            String tag = entry.tags().get(t);
            if (!counters.containsKey(tag)) {
                complete = false;
                continue;
            }
            byte[] current = counters.get(tag);
            if (current == null || !entry.generations().get(t).equals(new String(current, StandardCharsets.UTF_8))) {
                return new ReadResult(Status.STALE, null, epochs(epochTags, found, epochsAt));
            }
        }
        if (!complete) {
            // Stamped with tags the caller did not know: the script validates them all, and the
            // next read of this key asks for them.
            stampedTags.put(entryKey, Set.copyOf(entry.tags()));
            return readByScript(entryKey, epochTags);
        }
        return ReadResult.hit(entry.payload(), entry.stamp());
    }

    private static List<EpochValue> epochs(List<String> epochTags, List<byte[]> found, int from) {
        List<EpochValue> epochs = new ArrayList<>(epochTags.size());
        for (int i = 0; i < epochTags.size(); i++) {
            byte[] value = found.get(from + i);
            epochs.add(new EpochValue(epochTags.get(i), value == null ? "" : new String(value, StandardCharsets.UTF_8)));
        }
        return epochs;
    }

    /** Remembers the stamped tags unless the caller names them on reads (lookups by id). */
    @Override
    public Stamp stamp(String entryKey, byte[] payload, Collection<String> tags, List<EpochValue> watched,
                       Duration entryTtl, boolean tagsKnownToCaller) {
        long entryMillis = entryTtl == null ? 0 : entryTtl.toMillis();
        long counterMillis = counterTtlFloor.isZero() ? 0 : Math.max(counterTtlFloor.toMillis(), entryMillis);
        if (entryMillis == 0) {
            counterMillis = 0; // an entry without expiry needs counters without expiry
        }
        List<Object> args = new ArrayList<>(5 + 2 * watched.size() + tags.size());
        args.add(bytes(counterPrefix));
        args.add(bytes(Long.toString(entryMillis)));
        args.add(bytes(Long.toString(counterMillis)));
        args.add(bytes(Integer.toString(watched.size())));
        for (EpochValue epoch : watched) {
            args.add(bytes(epoch.tag()));
            args.add(bytes(epoch.value()));
        }
        args.add(payload);
        for (String tag : tags) {
            args.add(bytes(tag));
        }
        // The reply is {1, packed header (tags and generations)} when stored, {0} when refused.
        List<Object> reply = STORE.run(client, RScript.Mode.READ_WRITE, RScript.ReturnType.LIST,
                List.of(bytes(entryPrefix + entryKey)), args.toArray());
        if (reply.size() < 2 || !(reply.get(1) instanceof byte[] header)) {
            return null;
        }
        Stamp stamp = StampedEntryFormat.decodeHeader(header, 0, header.length);
        if (stamp == null) {
            throw new IllegalStateException("store.lua returned a header that does not decode");
        }
        if (!tagsKnownToCaller) {
            stampedTags.put(entryKey, Set.copyOf(tags));
        }
        return stamp;
    }

    @Override
    public long bump(Collection<String> epochTags, Collection<String> tags) {
        if (epochTags.isEmpty() && tags.isEmpty()) {
            return 0;
        }
        List<Object> args = new ArrayList<>(3 + epochTags.size() + tags.size());
        args.add(bytes(counterPrefix));
        args.add(bytes(Integer.toString(epochTags.size())));
        args.add(bytes(invalidationChannel()));
        epochTags.forEach(tag -> args.add(bytes(tag)));
        tags.forEach(tag -> args.add(bytes(tag)));
        // The script declares no key it reads; the counter prefix is passed as KEYS[1] only to
        // route the call to the node holding the namespace's slot on Redis Cluster.
        Long moved = BUMP.run(client, RScript.Mode.READ_WRITE, RScript.ReturnType.LONG,
                List.of(bytes(counterPrefix)), args.toArray());
        if (!tags.isEmpty()) {
            bumpListeners.forEach(listener -> listener.accept(tags));
        }
        return moved == null ? 0 : moved;
    }

    /**
     * Runs {@code listener} with the dependency tags of every bump this store delivered, after
     * Redis applied it and before {@link #bump} returns (so this node's own near cache drops them
     * before the commit is reported done).
     */
    public void addBumpListener(Consumer<Collection<String>> listener) {
        bumpListeners.add(listener);
    }

    /** The pub/sub channel every bump publishes its dependency tags on. */
    public String invalidationChannel() {
        return counterPrefix + "~invalidations";
    }

    /** The client this store talks through (for subscribing to {@link #invalidationChannel()}). */
    public RedissonClient client() {
        return client;
    }

    /**
     * Publishes a heartbeat {@code {"hb", node, sequence, token}} on the invalidation channel, in
     * order with every bump's message.
     *
     * @return the invalidation sequence at the heartbeat
     */
    public long heartbeat(String node, String token) {
        Long sequence = HEARTBEAT.run(client, RScript.Mode.READ_WRITE, RScript.ReturnType.LONG,
                List.of(bytes(counterPrefix + "~seq")),
                new Object[] {bytes(invalidationChannel()), bytes(node), bytes(token)});
        return sequence == null ? 0 : sequence;
    }

    @Override
    public List<String> generations(List<String> tags) {
        if (tags.isEmpty()) {
            return List.of();
        }
        String[] keys = new String[tags.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = counterPrefix + tags.get(i);
        }
        List<byte[]> values = multiGet.get(keys);
        List<String> out = new ArrayList<>(tags.size());
        for (byte[] value : values) {
            out.add(value == null ? null : new String(value, StandardCharsets.UTF_8));
        }
        return out;
    }

    @Override
    public void evict(String entryKey) {
        stampedTags.invalidate(entryKey);
        client.getBucket(entryPrefix + entryKey, ByteArrayCodec.INSTANCE).delete();
    }

    @Override
    public void close() {
        // The client belongs to the backend that created it.
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Object reply) {
        if (reply == null) {
            return "";
        }
        return reply instanceof byte[] raw ? new String(raw, StandardCharsets.UTF_8) : reply.toString();
    }
}
