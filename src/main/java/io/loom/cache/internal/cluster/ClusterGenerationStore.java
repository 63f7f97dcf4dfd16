package io.loom.cache.internal.cluster;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.loom.cache.config.BumpSettings;
import io.loom.cache.gateway.GenerationStore;
import io.loom.cache.internal.generation.Bumped;
import io.loom.cache.internal.generation.LeaseChannel;
import io.loom.cache.internal.generation.RedisNearCacheChannel;
import io.loom.cache.internal.generation.StampedEntryFormat;
import io.loom.cache.invalidation.Fingerprint;
import org.redisson.api.RScript;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static io.loom.cache.internal.cluster.ClusterCalls.bytes;
import static io.loom.cache.internal.cluster.ClusterCalls.text;

/*
 * Generation store spread over a Redis Cluster: every entry lives in the slot of its own key,
 * every counter in the slot of its tag, so an application's keys cover every master. No step may
 * assume two keys share a slot, so nothing relies on a script spanning an entry and its counters.
 *
 * Placement. Entries are not co-located with a tag: every entry of an entity depends on its entity
 * tag (e:), so co-locating with it would put an entity's whole data on one master (the hot spot
 * this store removes), and co-locating with the row tag saves no round trip (counters are read in
 * parallel anyway) and nothing for lists. The entity tag itself is striped over counters
 * (TagStripes): an entry depends on one stripe, a bump of the tag moves all. A hit is one wave:
 * the GETs of the entry (or, for a value kept by the near cache, none) and its counters, pipelined
 * per master and sent to every master involved in parallel (ClusterCalls): one round trip to each.
 * A non-hit reads the write epochs (w:, moved by every commit of the entity) in a second wave, so
 * no hit reads them.
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
 * Near caches: pushed and leased, on one sharded channel whose slot also holds the lease
 * membership and acknowledgements.
 */
public final class ClusterGenerationStore implements GenerationStore, LeaseChannel {

    private static final String COUNTERS = ClusterCalls.script("counters.lua");
    private static final String STAMP = ClusterCalls.script("stamp.lua");
    private static final int REMEMBERED_ENTRIES = 4_096;

    private final ClusterCalls calls;
    private final String entryPrefix;
    private final String counterPrefix;
    private final Duration counterTtlFloor;
    private final int maxCountersPerCall;
    private final String channel;
    private final ClusterBump bumps;
    private final RedisNearCacheChannel leases;
    private final TagStripes stripes;
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
        this.maxCountersPerCall = bump.maxCountersPerCall();
        this.stripes = new TagStripes(calls, counterPrefix);
        // The channel carries a hash tag, so its sequence counter (channel + ":seq") shares its
        // slot; both start with the namespace, as an ACL user limited to it requires.
        this.channel = counterPrefix + "~invalidations"
                + (counterPrefix.indexOf('{') < 0 ? "{" + counterPrefix + "~inv}" : "");
        this.leases = RedisNearCacheChannel.sharded(client, channel);
        this.bumps = new ClusterBump(calls, counterPrefix, leases, bump.effectiveTimeout(ClusterCalls.commandTimeout(client)),
                bump.replicas(), bump.replicaTimeout(), maxCountersPerCall);
    }

    @Override
    public ReadResult read(String entryKey, List<String> epochTags) {
        Set<String> remembered = stampedTags.getIfPresent(entryKey);
        return read(entryKey, remembered == null ? Set.of() : remembered, epochTags);
    }

    /**
     * One wave: the entry and the counters of the tags it is expected to carry. The epochs are
     * read only when it is not a hit (one more wave, before the load), so no hit reads an
     * entity's write epoch, which every miss and commit of the entity share.
     */
    @Override
    public ReadResult read(String entryKey, Collection<String> expectedTags, List<String> epochTags) {
        int stripe = stripes.stripeFor(entryKey, expectedTags);
        List<String> keys = new ArrayList<>(1 + expectedTags.size());
        keys.add(entryPrefix + entryKey);
        for (String tag : expectedTags) {
            keys.add(counterKey(tag, stripe));
        }
        List<byte[]> found = calls.get(keys);
        byte[] raw = found.get(0);
        if (raw == null) {
            return new ReadResult(Status.ABSENT, null, epochs(epochTags));
        }
        StampedEntryFormat.Decoded entry = StampedEntryFormat.decode(raw);
        if (entry == null) {
            return new ReadResult(Status.FOREIGN, null, epochs(epochTags));
        }
        Map<String, byte[]> counters = new HashMap<>();
        for (int i = 1; i < keys.size(); i++) {
            counters.put(keys.get(i), found.get(i));
        }
        List<String> stampKeys = stampKeys(entry.stamp());
        List<String> missing = new ArrayList<>();
        for (String key : stampKeys) {
            if (!counters.containsKey(key)) {
                missing.add(key);
            }
        }
        if (!missing.isEmpty()) {
            // Stamped with tags the caller did not name: one more wave for them, remembered for next time.
            stampedTags.put(entryKey, Set.copyOf(entry.tags()));
            List<byte[]> values = calls.get(missing);
            for (int i = 0; i < missing.size(); i++) {
                counters.put(missing.get(i), values.get(i));
            }
        }
        if (!matches(entry.stamp(), stampKeys, counters)) {
            return new ReadResult(Status.STALE, null, epochs(epochTags));
        }
        return ReadResult.hit(entry.payload(), entry.stamp());
    }

    /** One wave of the stamp's counters. */
    @Override
    public boolean isCurrent(Fingerprint stamp) {
        List<String> keys = stampKeys(stamp);
        List<byte[]> values = calls.get(keys);
        Map<String, byte[]> counters = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            counters.put(keys.get(i), values.get(i));
        }
        return matches(stamp, keys, counters);
    }

    /** The counter key each generation of {@code stamp} was read from. */
    private List<String> stampKeys(Fingerprint stamp) {
        List<String> keys = new ArrayList<>(stamp.tags().size());
        for (int t = 0; t < stamp.tags().size(); t++) {
            String tag = stamp.tags().get(t);
            if (TagStripes.striped(tag)) {
                int stripe = TagStripes.stripeOfGeneration(stamp.generations().get(t));
                keys.add(stripe < 0 ? counterPrefix + tag : counterPrefix + TagStripes.counter(tag, stripe));
            } else {
                keys.add(counterPrefix + tag);
            }
        }
        return keys;
    }

    private static boolean matches(Fingerprint stamp, List<String> keys, Map<String, byte[]> counters) {
        for (int t = 0; t < keys.size(); t++) {
            byte[] current = counters.get(keys.get(t));
            String stamped = stamp.generations().get(t);
            if (current == null) {
                return false;
            }
            String value = TagStripes.striped(stamp.tags().get(t)) ? TagStripes.valueOfGeneration(stamped) : stamped;
            if (!value.equals(text(current))) {
                return false;
            }
        }
        return true;
    }

    /** The counter key of {@code tag} for an entry of stripe {@code stripe}. */
    private String counterKey(String tag, int stripe) {
        return TagStripes.striped(tag) ? counterPrefix + TagStripes.counter(tag, stripe) : counterPrefix + tag;
    }

    private List<EpochValue> epochs(List<String> epochTags) {
        return epochs(epochTags, calls.get(keys(epochTags)), 0);
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

    /** The epochs alone decide ({@code since} is ignored: each master has a clock of its own). */
    @Override
    public Fingerprint stamp(String entryKey, byte[] payload, Collection<String> tags, List<EpochValue> watched,
                             long since, Duration entryTtl, boolean tagsKnownToCaller) {
        long entryMillis = entryTtl == null ? 0 : entryTtl.toMillis();
        long counterMillis = counterTtlFloor.isZero() || entryMillis == 0 ? 0
                : Math.max(counterTtlFloor.toMillis(), entryMillis);
        List<String> tagList = List.copyOf(new LinkedHashSet<>(tags));
        int stripe = stripes.stripeFor(entryKey, tagList);
        List<String> tagKeys = new ArrayList<>(tagList.size());
        tagList.forEach(tag -> tagKeys.add(counterKey(tag, stripe)));
        try {
            // S1: the stamp, before the epochs are checked (see the comment at the top).
            List<List<String>> groups = calls.bySlot(tagKeys, maxCountersPerCall);
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
            for (int t = 0; t < tagList.size(); t++) {
                String value = generation.get(tagKeys.get(t));
                generations.add(TagStripes.striped(tagList.get(t)) ? TagStripes.generation(stripe, value) : value);
            }
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
            return new Fingerprint(tagList, generations);
        } catch (RuntimeException e) {
            if (ClusterCalls.outOfMemory(e)) {
                return null; // a master at maxmemory refused the store: nothing kept, nothing broken
            }
            throw e;
        }
    }

    @Override
    public long bump(Collection<String> epochTags, Collection<String> tags) {
        return bumps.bump(epochTags, tags);
    }

    /** A striped tag's generation is its first stripe's, in the stamped form. */
    @Override
    public List<String> generations(List<String> tags) {
        List<String> keys = new ArrayList<>(tags.size());
        tags.forEach(tag -> keys.add(counterKey(tag, 0)));
        List<byte[]> values = calls.get(keys);
        List<String> out = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            byte[] value = values.get(i);
            out.add(value == null ? null
                    : TagStripes.striped(tags.get(i)) ? TagStripes.generation(0, text(value)) : text(value));
        }
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
        bumps.addListener(listener);
    }

    @Override
    public long heartbeat(String node, String token) {
        return leases.heartbeat(node, token);
    }

    @Override
    public void enableLeases(long termMillis, String node) {
        bumps.enableLeases(termMillis, node);
    }

    @Override
    public RedisNearCacheChannel channel() {
        return leases;
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
}
