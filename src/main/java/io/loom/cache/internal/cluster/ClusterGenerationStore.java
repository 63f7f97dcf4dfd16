package io.loom.cache.internal.cluster;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.loom.cache.config.BumpSettings;
import io.loom.cache.internal.generation.Bumped;
import io.loom.cache.internal.generation.GenerationStore;
import io.loom.cache.internal.generation.InvalidationChannel;
import io.loom.cache.internal.generation.StampedEntryFormat;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/*
 * Generation store spread over a Redis Cluster: every entry lives in the slot of its own key,
 * every counter in the slot of its tag, so an application's keys cover every master. No step may
 * assume two keys share a slot, so nothing relies on a script spanning an entry and its counters.
 *
 * Placement. Entries are not co-located with a tag: the tags a hit validates are the entity's
 * (e:, w:, shared by every entry of the entity) and the row's; co-locating entries with the
 * entity tags would put an entity's whole data on one master (the hot spot this store removes),
 * and with the row tag would save nothing for lists and views. A hit is therefore one wave: the
 * GETs of the entry, its counters and the watched epochs, pipelined per master and sent to every
 * master involved in parallel (ClusterCalls): one round trip to each.
 *
 * Reads need no atomicity: counters only grow and a recreated counter starts above every value
 * it showed (below), so a counter read at any moment of the wave equal to the entry's stamp means
 * the stamp was taken after every bump that completed before the read started.
 *
 * The store's "check the epochs, then write" is three ordered waves, and the bump two:
 *   store  S1 read the stamp: the generations of the entry's tags (stamp.lua per slot, creating
 *             absent ones from the clock);
 *          S2 then read the watched write epochs and compare them with the values read before
 *             the load; any moved or absent one refuses the load (an absent one is created);
 *          S3 then write the entry with the stamp of S1.
 *   bump   B1 move every write epoch (every slot, in parallel) and wait for all of them;
 *          B2 then move every dependency tag (in parallel);
 *          B3 then publish the tags to the near caches (one sharded channel).
 * Claim: no interleaving stores a load that missed a commit T under a stamp that is current after
 * T's commit() returned. The load's snapshot began after its epochs were read (E0) and before T's
 * database commit, and B1 and B2 run after that commit. Take any tag t of the entry that T moves.
 *  - If T's B2 moved t after S1 read it, the stamp holds t's old value: the entry fails
 *    validation once B2 is done, i.e. before T's commit() returns.
 *  - If B2 moved t before S1, then B1 (which moved the entity's epoch) finished earlier still, so
 *    S2, after S1, sees the epoch above the E0 value and the load is refused.
 * S3 may come late (a paused thread): its stamp is from S1, so the first case applies. A tag
 * absent at B2 and created by S1 afterwards is the second case. A bump that fails on any master
 * (a partial B1 or B2) is reported failed and retried whole by the backlog and the outbox; moving
 * a counter twice only invalidates more. Messages go out only after B2 succeeded on every slot:
 * a node that dropped a value on a message and read it again finds every tag already moved.
 * Cost: a commit's bump is one round trip to each master holding its epochs, then one to each
 * holding its tags (two waves, in parallel within each), then the message when tags moved; a
 * miss's store is three waves. Hits are one.
 *
 * Lost counters (eviction, expiry, a failover to a replica that missed a creation). The
 * single-server argument holds per counter: a counter is created from the clock (TIME, us) of the
 * master owning its slot, then only incremented, once per script call, and a call takes more than
 * a microsecond, so every value it shows is below that master's clock at the time. A counter
 * recreated later, possibly on another master (after a failover or a migration), starts from that
 * master's clock. So the argument needs the masters' clocks to agree to better than the time
 * between a counter's loss and its re-creation: a failover takes at least the cluster node timeout
 * (seconds), so NTP-synchronized masters (milliseconds) satisfy it; a master whose clock is behind
 * the others by more than that could recreate a counter at a value it once had (CONSISTENCY.md 11).
 * A migration (MIGRATE) moves counters with their values; while a slot moves, every call is one
 * slot, so Redis answers it on the node holding the key (ASK), or TRYAGAIN, which fails a bump
 * (retried) or a read (served by the database).
 *
 * With bump.replicas, each master's batch of a wave ends with WAIT: a bump counts as delivered
 * only when every master it touched had that many replicas acknowledge it.
 */
/**
 * {@link GenerationStore} over a Redis Cluster whose keys spread over every slot. Thread-safe.
 * Near caches: pushed (a sharded channel); the leased mode is not offered on it.
 */
public final class ClusterGenerationStore implements GenerationStore, InvalidationChannel {

    private static final String COUNTERS = ClusterCalls.script("counters.lua");
    private static final String STAMP = ClusterCalls.script("stamp.lua");
    private static final String PUBLISH = ClusterCalls.script("publish.lua");
    private static final String HEARTBEAT = ClusterCalls.script("heartbeat.lua");
    private static final int REMEMBERED_ENTRIES = 4_096;

    private final ClusterCalls calls;
    private final String entryPrefix;
    private final String counterPrefix;
    private final Duration counterTtlFloor;
    private final Duration budget;
    private final int replicas;
    private final Duration replicaTimeout;
    private final int maxCountersPerCall;
    private final String channel;
    private final String sequenceKey;
    private final List<Consumer<Bumped>> bumpListeners = new CopyOnWriteArrayList<>();
    private final Cache<String, Set<String>> stampedTags = Caffeine.newBuilder().maximumSize(REMEMBERED_ENTRIES).build();

    /**
     * @param client          a Redisson client of the cluster
     * @param entryPrefix     prefix of every entry key (namespace included)
     * @param counterPrefix   prefix of every counter key (namespace included)
     * @param counterTtlFloor counters stamped into an entry live at least this long (and as long as it)
     * @param bump            how bumps are bounded and acknowledged; an unset timeout is the client's
     */
    public ClusterGenerationStore(RedissonClient client, String entryPrefix, String counterPrefix,
                                  Duration counterTtlFloor, BumpSettings bump) {
        this.calls = new ClusterCalls(client);
        this.entryPrefix = entryPrefix;
        this.counterPrefix = counterPrefix;
        this.counterTtlFloor = counterTtlFloor;
        this.budget = bump.effectiveTimeout(commandTimeout(client));
        this.replicas = bump.replicas();
        this.replicaTimeout = bump.replicaTimeout();
        this.maxCountersPerCall = bump.maxCountersPerCall();
        this.channel = counterPrefix + "~invalidations";
        // The sequence shares the channel's slot, so publish.lua numbers and sends in one step.
        this.sequenceKey = channel.indexOf('{') < 0 ? "{" + channel + "}:seq" : channel + ":seq";
    }

    @Override
    public ReadResult read(String entryKey, List<String> epochTags) {
        Set<String> remembered = stampedTags.getIfPresent(entryKey);
        return read(entryKey, remembered == null ? Set.of() : remembered, epochTags);
    }

    @Override
    public ReadResult read(String entryKey, Collection<String> expectedTags, List<String> epochTags) {
        List<String> keys = new ArrayList<>(1 + expectedTags.size() + epochTags.size());
        keys.add(entryPrefix + entryKey);
        for (String tag : expectedTags) {
            keys.add(counterPrefix + tag);
        }
        for (String tag : epochTags) {
            keys.add(counterPrefix + tag);
        }
        List<byte[]> found = calls.get(keys);
        int epochsAt = 1 + expectedTags.size();
        byte[] raw = found.get(0);
        if (raw == null) {
            return new ReadResult(Status.ABSENT, null, epochs(epochTags, found, epochsAt));
        }
        StampedEntryFormat.Decoded entry = StampedEntryFormat.decode(raw);
        if (entry == null) {
            return new ReadResult(Status.FOREIGN, null, epochs(epochTags, found, epochsAt));
        }
        Map<String, byte[]> counters = new HashMap<>();
        int at = 1;
        for (String tag : expectedTags) {
            counters.put(tag, found.get(at++));
        }
        List<String> missing = new ArrayList<>();
        for (String tag : entry.tags()) {
            if (!counters.containsKey(tag)) {
                missing.add(tag);
            }
        }
        if (!missing.isEmpty()) {
            // Stamped with tags the caller did not name: one more wave for them, remembered for next time.
            stampedTags.put(entryKey, Set.copyOf(entry.tags()));
            List<String> missingKeys = new ArrayList<>(missing.size());
            missing.forEach(tag -> missingKeys.add(counterPrefix + tag));
            List<byte[]> values = calls.get(missingKeys);
            for (int i = 0; i < missing.size(); i++) {
                counters.put(missing.get(i), values.get(i));
            }
        }
        for (int t = 0; t < entry.tags().size(); t++) {
            byte[] current = counters.get(entry.tags().get(t));
            if (current == null || !entry.generations().get(t).equals(text(current))) {
                return new ReadResult(Status.STALE, null, epochs(epochTags, found, epochsAt));
            }
        }
        return ReadResult.hit(entry.payload(), entry.stamp());
    }

    private List<EpochValue> epochs(List<String> epochTags, List<byte[]> found, int from) {
        List<EpochValue> epochs = new ArrayList<>(epochTags.size());
        List<String> absent = new ArrayList<>();
        for (int i = 0; i < epochTags.size(); i++) {
            byte[] value = found.get(from + i);
            epochs.add(new EpochValue(epochTags.get(i), value == null ? "" : text(value)));
            if (value == null) {
                absent.add(epochTags.get(i));
            }
        }
        if (absent.isEmpty()) {
            return epochs;
        }
        // A miss always watches a real value: absent epochs are created from the clock first.
        Map<String, String> created = create(absent);
        List<EpochValue> out = new ArrayList<>(epochs.size());
        for (EpochValue epoch : epochs) {
            out.add(epoch.value().isEmpty() ? new EpochValue(epoch.tag(), created.get(epoch.tag())) : epoch);
        }
        return out;
    }

    /** Creates absent counters from their masters' clocks; every tag's value afterwards. */
    private Map<String, String> create(Collection<String> tags) {
        List<List<String>> groups = calls.bySlot(keys(tags), maxCountersPerCall);
        List<Object> replies = calls.eval(COUNTERS, RScript.ReturnType.LIST, groups, bytes("create"));
        Map<String, String> values = new HashMap<>();
        for (int g = 0; g < groups.size(); g++) {
            List<?> reply = (List<?>) replies.get(g);
            for (int i = 0; i < groups.get(g).size(); i++) {
                values.put(groups.get(g).get(i).substring(counterPrefix.length()), text((byte[]) reply.get(i)));
            }
        }
        return values;
    }

    @Override
    public Stamp stamp(String entryKey, byte[] payload, Collection<String> tags, List<EpochValue> watched,
                       Duration entryTtl, boolean tagsKnownToCaller) {
        long entryMillis = entryTtl == null ? 0 : entryTtl.toMillis();
        long counterMillis = counterTtlFloor.isZero() || entryMillis == 0 ? 0
                : Math.max(counterTtlFloor.toMillis(), entryMillis);
        List<String> tagList = List.copyOf(new LinkedHashSet<>(tags));
        try {
            // S1: the stamp, before the epochs are checked (see the comment at the top).
            List<List<String>> groups = calls.bySlot(keys(tagList), maxCountersPerCall);
            List<Object> replies = calls.eval(STAMP, RScript.ReturnType.LIST, groups,
                    bytes(Long.toString(counterMillis)));
            Map<String, String> generation = new HashMap<>();
            for (int g = 0; g < groups.size(); g++) {
                List<?> reply = (List<?>) replies.get(g);
                for (int i = 0; i < groups.get(g).size(); i++) {
                    generation.put(groups.get(g).get(i), text((byte[]) reply.get(i)));
                }
            }
            // S2: the watched epochs, compared with the values read before the load.
            List<String> epochKeys = new ArrayList<>(watched.size());
            watched.forEach(epoch -> epochKeys.add(counterPrefix + epoch.tag()));
            List<byte[]> now = calls.get(epochKeys);
            List<String> absent = new ArrayList<>();
            boolean refused = false;
            for (int i = 0; i < watched.size(); i++) {
                byte[] current = now.get(i);
                if (current == null) {
                    absent.add(watched.get(i).tag());
                    refused = true;
                } else if (!text(current).equals(watched.get(i).value())) {
                    refused = true;
                }
            }
            if (!absent.isEmpty()) {
                create(absent); // maybe lost and recreated since: refused, and created for the next load
            }
            if (refused) {
                return null;
            }
            // S3: the entry, stamped with S1's generations.
            List<String> generations = new ArrayList<>(tagList.size());
            tagList.forEach(tag -> generations.add(generation.get(counterPrefix + tag)));
            byte[] entry = StampedEntryFormat.encode(tagList, generations, payload);
            var bucket = calls.client().getBucket(entryPrefix + entryKey, ByteArrayCodec.INSTANCE);
            if (entryMillis > 0) {
                bucket.set(entry, Duration.ofMillis(entryMillis));
            } else {
                bucket.set(entry);
            }
            if (!tagsKnownToCaller) {
                stampedTags.put(entryKey, Set.copyOf(tagList));
            }
            return new Stamp(tagList, generations);
        } catch (RuntimeException e) {
            if (outOfMemory(e)) {
                return null; // a master at maxmemory refused the store: nothing kept, nothing broken
            }
            throw e;
        }
    }

    @Override
    public long bump(Collection<String> epochTags, Collection<String> tags) {
        if (epochTags.isEmpty() && tags.isEmpty()) {
            return 0;
        }
        long deadline = System.nanoTime() + budget.toNanos();
        long moved = wave(epochTags, "epoch", deadline);   // B1: every epoch first
        moved += wave(tags, "tag", deadline);               // B2: then the tags they guard
        long sequence = 0;
        if (!tags.isEmpty()) {                              // B3: then the message
            Object[] args = new Object[1 + tags.size()];
            args[0] = bytes(channel);
            int i = 1;
            for (String tag : tags) {
                args[i++] = bytes(tag);
            }
            List<Object> reply = calls.boundedEval(PUBLISH, RScript.ReturnType.LONG, List.of(List.of(sequenceKey)),
                    List.<Object[]>of(args), deadline, 0, 0);
            sequence = ((Number) reply.get(0)).longValue();
            Bumped bumped = new Bumped(tags, moved, sequence, Set.of(), 0);
            bumpListeners.forEach(listener -> listener.accept(bumped));
        }
        return moved;
    }

    private long wave(Collection<String> tags, String mode, long deadline) {
        if (tags.isEmpty()) {
            return 0;
        }
        List<List<String>> groups = calls.bySlot(keys(tags), maxCountersPerCall);
        List<Object[]> args = new ArrayList<>(groups.size());
        groups.forEach(group -> args.add(new Object[] {bytes(mode)}));
        long moved = 0;
        for (Object reply : calls.boundedEval(COUNTERS, RScript.ReturnType.LONG, groups, args, deadline,
                replicas, replicaTimeout.toMillis())) {
            moved += ((Number) reply).longValue();
        }
        return moved;
    }

    @Override
    public List<String> generations(List<String> tags) {
        List<byte[]> values = calls.get(keys(tags));
        List<String> out = new ArrayList<>(values.size());
        values.forEach(value -> out.add(value == null ? null : text(value)));
        return out;
    }

    @Override
    public void evict(String entryKey) {
        stampedTags.invalidate(entryKey);
        calls.client().getBucket(entryPrefix + entryKey, ByteArrayCodec.INSTANCE).delete();
    }

    @Override
    public void close() {
        // The client belongs to the backend that created it.
    }

    @Override
    public String invalidationChannel() {
        return channel;
    }

    @Override
    public RTopic invalidationTopic() {
        return calls.client().getShardedTopic(channel, ByteArrayCodec.INSTANCE);
    }

    @Override
    public void addBumpListener(Consumer<Bumped> listener) {
        bumpListeners.add(listener);
    }

    @Override
    public long heartbeat(String node, String token) {
        List<Object> reply = calls.eval(HEARTBEAT, RScript.ReturnType.LONG, List.of(List.of(sequenceKey)),
                bytes(channel), bytes(node), bytes(token));
        return ((Number) reply.get(0)).longValue();
    }

    /** The slot a counter of {@code tag} lives in (tests and benchmarks). */
    public int counterSlot(String tag) {
        return calls.slot(counterPrefix + tag);
    }

    private List<String> keys(Collection<String> tags) {
        List<String> keys = new ArrayList<>(tags.size());
        tags.forEach(tag -> keys.add(counterPrefix + tag));
        return keys;
    }

    private static boolean outOfMemory(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof RedisOutOfMemoryException || (e.getMessage() != null && e.getMessage().contains("OOM"))) {
                return true;
            }
        }
        return false;
    }

    private static Duration commandTimeout(RedissonClient client) {
        if (client instanceof Redisson redisson) {
            return Duration.ofMillis(redisson.getServiceManager().getConfig().getTimeout());
        }
        return Duration.ofMillis(500);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] raw) {
        return new String(raw, StandardCharsets.UTF_8);
    }
}
