package io.loom.cache.internal.generation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.loom.cache.config.BackendSettings;
import io.loom.cache.config.BumpSettings;
import io.loom.cache.gateway.GenerationStore;
import io.loom.cache.invalidation.Fingerprint;
import org.redisson.Redisson;
import org.redisson.api.RScript;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisOutOfMemoryException;
import org.redisson.client.codec.ByteArrayCodec;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static io.loom.cache.internal.generation.LuaScript.bytes;
import static io.loom.cache.internal.generation.LuaScript.text;

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
 * store.lua  keeps the load when every dependency tag exists with a value below since (the
 *            master's clock read before the load: bump.lua values each tag it moves at least at
 *            its own clock reading), or else when no watched epoch moved (CONSISTENCY.md 1a). Then
 *            it reads (or creates from the server clock) the generation of every dependency tag,
 *            writes the stamped entry and extends the counters' TTL to at least the entry's.
 *            An absent watched epoch never matches (it is created and the load not kept): a
 *            miss that finds an epoch absent creates it first (epochs.lua), so it watches a real
 *            value. At maxmemory Redis refuses store.lua before it runs: nothing is kept then
 *            either, and the refusal is no failure.
 * bump.lua   moves every present dependency tag to the larger of its value + 1 and the server
 *            clock, INCRs every epoch (creating absent epochs from the server clock) of one
 *            transaction, and publishes the dependency tags with a sequence number for the near caches of every node (see io.loom.cache.internal.near). It runs
 *            with allow-oom, so a full Redis still takes it; BumpCall bounds its time, splits
 *            large ones and waits for replicas.
 *            With leases enabled it also returns the members that owe an acknowledgement.
 * heartbeat.lua, lease.lua, ack.lua, pending.lua: the near caches' side (heartbeats, lease
 *            renewal, acknowledgements, a writer's check of who still owes one), run by
 *            RedisNearCacheChannel.
 *
 * Why a lost counter (evicted, expired, or an empty restart) can never make an old entry look
 * current, nor a stale load look safe to keep: no two moments yield the same observed value for a
 * counter lost in between.
 *  - An absent counter is never matched. A read finds an entry stamped with a vanished counter
 *    stale; store.lua refuses a load whose watched epoch is absent when it runs.
 *  - A counter is only created from the server clock in microseconds (TIME), then only moved
 *    by a script call, by one (epochs) or to the larger of value + 1 and the clock (dependency
 *    tags). A script call takes more than a microsecond of the single-threaded server, so by
 *    induction a counter's value after a call at clock c is at most c + 1 <= the clock of any later
 *    call: every value it ever shows is below the clock at that moment. A counter created again at
 *    clock t' therefore starts above every value any predecessor showed before t'. So an entry stamped with the old value, or an epoch value read
 *    before the loss, never equals the recreated one.
 * The argument needs the server clock never to go back by more than the counter's lead over it:
 * a failover to a server whose clock is behind, or a clock stepped back, can break it (a limit
 * stated in CONSISTENCY.md).
 *
 * The entry and its counters must live on one Redis server (or one cluster slot), since the
 * scripts touch both. On Redis Cluster this store serves hash-tag namespaces ({app}: every key in
 * one slot); a namespace spread over the cluster gets io.loom.cache.internal.cluster's store.
 */
/**
 * {@link GenerationStore} on one Redis deployment through Redisson.
 *
 * <p>Thread-safe. On Redis Cluster every key of the namespace must hash to one slot (a hash-tag
 * namespace such as {@code {app}}); see {@code ClusterGenerationStore} otherwise.
 */
public final class RedisGenerationStore implements GenerationStore, LeaseChannel {

    /** The most a commit waits for its bump. */
    private final Duration bumpBudget;

    private static final LuaScript READ = LuaScript.load("read.lua");
    private static final LuaScript STORE = LuaScript.load("store.lua");
    private static final LuaScript BUMP = LuaScript.load("bump.lua");
    private static final LuaScript EPOCHS = LuaScript.load("epochs.lua");
    /** Bound of the remembered entry tags (lists and views; a few kilobytes each at most). */
    static final int REMEMBERED_ENTRIES = 4_096;

    private final RedissonClient client;
    private final MultiGet multiGet;
    private final String entryPrefix;
    private final String counterPrefix;
    private final Duration counterTtlFloor;
    private final BumpCall bumpCall;
    private final RedisNearCacheChannel channel;
    private final List<Consumer<Bumped>> bumpListeners = new CopyOnWriteArrayList<>();
    /** Lease + drift margin in ms once a leased near cache runs over this store; 0 before. */
    private volatile long leaseTermMillis;
    /** This node's lease id, sent with its bumps' messages ("" without a lease). */
    private volatile String leaseNode = "";
    private volatile PreparedCommits prepared = PreparedCommits.NONE;
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
        this(client, entryPrefix, counterPrefix, counterTtlFloor, BumpSettings.DEFAULT);
    }

    /**
     * @param bump how bumps are bounded, split and acknowledged; an unset timeout is the client's
     *             command timeout
     */
    public RedisGenerationStore(RedissonClient client, String entryPrefix, String counterPrefix,
                                Duration counterTtlFloor, BumpSettings bump) {
        this.bumpCall = new BumpCall(client, BUMP.source(), (bumpBudget = bump.effectiveTimeout(commandTimeout(client))),
                bump.replicas(), bump.replicaTimeout(), bump.maxCountersPerCall());
        this.client = client;
        this.multiGet = new MultiGet(client);
        this.entryPrefix = entryPrefix;
        this.counterPrefix = counterPrefix;
        this.counterTtlFloor = counterTtlFloor;
        this.channel = new RedisNearCacheChannel(client, counterPrefix);
    }

    @Override
    public ReadResult read(String entryKey, List<String> epochTags) {
        Set<String> remembered = stampedTags.getIfPresent(entryKey);
        return remembered != null ? read(entryKey, remembered, epochTags, false) : readByScript(entryKey, epochTags);
    }

    private ReadResult readByScript(String entryKey, List<String> epochTags) {
        Object[] args = new Object[1 + epochTags.size()];
        args[0] = bytes(counterPrefix);
        for (int i = 0; i < epochTags.size(); i++) {
            args[i + 1] = bytes(epochTags.get(i));
        }
        // On the master (READ_WRITE routing), where every bump runs: a replica may not have a bump yet.
        List<Object> reply = READ.run(client, RScript.Mode.READ_WRITE, RScript.ReturnType.LIST,
                List.of(bytes(entryPrefix + entryKey)), args);
        long status = (Long) reply.get(0);
        if (status == 1) {
            byte[] header = (byte[]) reply.get(2);
            return ReadResult.hit((byte[]) reply.get(1), StampedEntryFormat.decodeHeader(header, 0, header.length));
        }
        List<EpochValue> epochs = new ArrayList<>(epochTags.size());
        for (int i = 0; i < epochTags.size(); i++) {
            epochs.add(new EpochValue(epochTags.get(i), text(reply.get(i + 3))));
        }
        Status outcome = status == 0 ? Status.ABSENT : status == 2 ? Status.STALE : Status.FOREIGN;
        if (epochs.stream().noneMatch(epoch -> epoch.value().isEmpty())) {
            return ReadResult.miss(outcome, epochs, Long.parseLong(text(reply.get(2))));
        }
        return fromMaster(outcome, epochs);
    }

    /**
     * One MGET of the entry, the expected tags' counters and the epochs, compared here. Reading
     * the counters after the entry (in the same command) is safe: a generation equal to the
     * stamped one at that moment means the tag has not moved since the entry was stamped, since
     * counters only grow and a recreated counter starts above every earlier value.
     */
    @Override
    public ReadResult read(String entryKey, Collection<String> expectedTags, List<String> epochTags) {
        return read(entryKey, expectedTags, epochTags, true);
    }

    /**
     * @param declared whether the caller named the tags (a lookup by id, watching its own tags:
     *                 its miss needs no clock reading); false when they come from the memo
     */
    private ReadResult read(String entryKey, Collection<String> expectedTags, List<String> epochTags,
                            boolean declared) {
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
            return miss(Status.ABSENT, epochTags, found, epochsAt, declared);
        }
        StampedEntryFormat.Decoded entry = StampedEntryFormat.decode(raw);
        if (entry == null) {
            return miss(Status.FOREIGN, epochTags, found, epochsAt, declared);
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
                return miss(Status.STALE, epochTags, found, epochsAt, declared);
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

    private ReadResult miss(Status status, List<String> epochTags, List<byte[]> found, int from, boolean declared) {
        List<EpochValue> epochs = new ArrayList<>(epochTags.size());
        boolean absent = false;
        for (int i = 0; i < epochTags.size(); i++) {
            byte[] value = found.get(from + i);
            absent |= value == null;
            epochs.add(new EpochValue(epochTags.get(i), value == null ? "" : new String(value, StandardCharsets.UTF_8)));
        }
        return declared && !absent ? ReadResult.miss(status, epochs, 0) : fromMaster(status, epochs);
    }

    /**
     * The miss with every absent epoch created and the master's clock read (one more round trip,
     * on the master, where every bump runs): the load then starts after {@code since} by the clock
     * the bumps value tags with.
     */
    private ReadResult fromMaster(Status status, List<EpochValue> epochs) {
        if (epochs.isEmpty()) {
            return ReadResult.miss(status, epochs, 0);
        }
        Object[] args = new Object[1 + epochs.size()];
        args[0] = bytes(counterPrefix);
        for (int i = 0; i < epochs.size(); i++) {
            args[i + 1] = bytes(epochs.get(i).tag());
        }
        List<Object> values = EPOCHS.run(client, RScript.Mode.READ_WRITE, RScript.ReturnType.LIST,
                List.of(bytes(counterPrefix)), args);
        List<EpochValue> out = new ArrayList<>(epochs.size());
        for (int i = 0; i < epochs.size(); i++) {
            EpochValue epoch = epochs.get(i);
            // A value read before this call stays the one watched (it was read first); a created one is new.
            out.add(epoch.value().isEmpty() ? new EpochValue(epoch.tag(), text(values.get(i + 1))) : epoch);
        }
        return ReadResult.miss(status, out, Long.parseLong(text(values.get(0))));
    }

    /** Remembers the stamped tags unless the caller names them on reads (lookups by id). */
    @Override
    public Fingerprint stamp(String entryKey, byte[] payload, Collection<String> tags, List<EpochValue> watched,
                             long since, Duration entryTtl, boolean tagsKnownToCaller) {
        List<Object> reply;
        try {
            reply = STORE.run(client, RScript.Mode.READ_WRITE, RScript.ReturnType.LIST,
                    List.of(bytes(entryPrefix + entryKey)), storeArguments(payload, tags, watched, since, entryTtl));
        } catch (RedisOutOfMemoryException e) {
            return null; // Redis at maxmemory refused the whole script: nothing kept, nothing broken
        }
        return stored(entryKey, tags, tagsKnownToCaller, reply);
    }

    @Override
    public CompletionStage<Fingerprint> stampAsync(String entryKey, byte[] payload, Collection<String> tags,
                                                   List<EpochValue> watched, long since, Duration entryTtl,
                                                   boolean tagsKnownToCaller) {
        Object[] args = storeArguments(payload, tags, watched, since, entryTtl);
        return STORE.<List<Object>>runAsync(client, RScript.Mode.READ_WRITE, RScript.ReturnType.LIST,
                        List.of(bytes(entryPrefix + entryKey)), args)
                .thenApply(reply -> stored(entryKey, tags, tagsKnownToCaller, reply))
                .exceptionally(failure -> {
                    if (LuaScript.cause(failure) instanceof RedisOutOfMemoryException) {
                        return null; // as in stamp: nothing kept, nothing broken
                    }
                    throw failure instanceof CompletionException wrapped ? wrapped : new CompletionException(failure);
                });
    }

    private Object[] storeArguments(byte[] payload, Collection<String> tags, List<EpochValue> watched, long since,
                                    Duration entryTtl) {
        long entryMillis = entryTtl == null ? 0 : entryTtl.toMillis();
        long counterMillis = counterTtlFloor.isZero() ? 0 : Math.max(counterTtlFloor.toMillis(), entryMillis);
        if (entryMillis == 0) {
            counterMillis = 0; // an entry without expiry needs counters without expiry
        }
        List<Object> args = new ArrayList<>(5 + 2 * watched.size() + tags.size());
        args.add(bytes(counterPrefix));
        args.add(bytes(Long.toString(entryMillis)));
        args.add(bytes(Long.toString(counterMillis)));
        args.add(bytes(Long.toString(since)));
        args.add(bytes(Integer.toString(watched.size())));
        for (EpochValue epoch : watched) {
            args.add(bytes(epoch.tag()));
            args.add(bytes(epoch.value()));
        }
        args.add(payload);
        for (String tag : tags) {
            args.add(bytes(tag));
        }
        return args.toArray();
    }

    /** The stamp of a store's reply: {1, packed header (tags and generations)} when stored, {0} when refused. */
    private Fingerprint stored(String entryKey, Collection<String> tags, boolean tagsKnownToCaller, List<Object> reply) {
        if (reply.size() < 2 || !(reply.get(1) instanceof byte[] header)) {
            return null;
        }
        Fingerprint stamp = StampedEntryFormat.decodeHeader(header, 0, header.length);
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
        Bumped bumped = bumpCall.run(counterPrefix, invalidationChannel(), leaseTermMillis, leaseNode,
                prepared.preparedFor(tags), epochTags, tags);
        if (!tags.isEmpty()) {
            bumpListeners.forEach(listener -> listener.accept(bumped));
        }
        return bumped.moved();
    }

    /** The script calls {@link #bump} makes for a bump of that many counters (epochs and tags). */
    int bumpCalls(int counters) {
        return bumpCall.calls(counters);
    }

    private static Duration commandTimeout(RedissonClient client) {
        if (client instanceof Redisson redisson) {
            return Duration.ofMillis(redisson.getServiceManager().getConfig().getTimeout());
        }
        return BackendSettings.DEFAULT_TIMEOUT;
    }

    /**
     * Runs {@code listener} with the dependency tags of every bump this store delivered, after
     * Redis applied it and before {@link #bump} returns (so this node's own near cache drops them
     * before the commit is reported done).
     */
    @Override
    public void addBumpListener(Consumer<Bumped> listener) {
        bumpListeners.add(listener);
    }

    /**
     * Makes every later bump return the members holding a lease and the wait a young membership
     * imposes ({@link Bumped}); {@code termMillis} is lease + drift margin.
     */
    @Override
    public void enableLeases(long termMillis, String node, PreparedCommits prepared) {
        this.prepared = prepared;
        this.leaseNode = node;
        this.leaseTermMillis = termMillis;
    }

    /** The near caches' channel, heartbeats and lease membership over this store's counters. */
    @Override
    public Duration bumpBudget() {
        return bumpBudget;
    }

    @Override
    public RedisNearCacheChannel channel() {
        return channel;
    }

    /** The pub/sub channel every bump publishes its dependency tags on. */
    @Override
    public String invalidationChannel() {
        return channel.invalidationChannel();
    }

    @Override
    public RTopic invalidationTopic() {
        return client.getTopic(invalidationChannel(), ByteArrayCodec.INSTANCE);
    }

    @Override
    public long heartbeat(String node, String token) {
        return channel.heartbeat(node, token);
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


}
