package io.loom.cache.internal.cluster;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.loom.cache.config.BumpSettings;
import io.loom.cache.gateway.GenerationStore;
import io.loom.cache.internal.generation.Bumped;
import io.loom.cache.internal.generation.PreparedCommits;
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
 * every counter in the slot of its stripe (CounterStripes: 64 stripes spread evenly over the
 * slots, each with a clock), so an application's keys cover every master. No step assumes an
 * entry and its counters share a slot, so nothing relies on a script spanning them.
 *
 * Placement. Entries are not co-located with a tag: every entry of an entity depends on its entity
 * tag (e:), so co-locating with it would put an entity's whole data on one master (the hot spot
 * this store removes), and co-locating with the row tag saves no round trip (counters are read in
 * parallel anyway) and nothing for lists. The entity tag itself is striped over counters
 * (TagStripes): an entry depends on one stripe, a bump of the tag moves all. A hit is one wave:
 * the GETs of the entry (or, for a value kept by the near cache, none) and its counters, pipelined
 * per master and sent to every master involved in parallel (ClusterCalls): one round trip to each.
 *
 * Reads need no atomicity: counters only grow and a recreated counter starts above every value
 * it showed (below), so a counter read at any moment of the wave equal to the entry's stamp means
 * the stamp was taken after every bump that completed before the read started.
 *
 * Stripe clocks. Every write of a counter (a bump's move, a creation) runs in a script of its
 * stripe that ticks the stripe's clock and values the counter at least at the tick; the clock is
 * then at least every counter of its stripe (counters.lua). So a counter written after someone
 * read its stripe's clock holds more than that reading, on whichever master the stripe lives,
 * and a migration moves the clock with its counters. Clocks live in Redis, never on a node.
 *
 * The store's proof is local to each stripe, so a bump needs no order across stripes:
 *   miss   M  before the load: create the absent counters of the tags known in advance (so a
 *             first load can be proven), read them and their stripes' clocks (one wave), and
 *             snapshot this node's latest reading of every stripe's clock (StripeClocks);
 *   store  S1 per stripe of the entry's tags (stamp.lua): the generations, and whether each
 *             counter exists and holds at most the snapshot's clock of its stripe (one wave);
 *          S2 when every stripe proved it, write the entry with S1's generations.
 *   bump   B1 move every write epoch and dependency tag, one script per stripe, all in parallel;
 *          B2 then publish the tags to the near caches (one sharded channel).
 * Claim: no interleaving stores a load that missed a commit T under a stamp that is current after
 * T's commit() returned. The load's snapshot began after M and before T's database commit, and
 * B1 runs after that commit, so after M and after every clock reading in the snapshot. Take any
 * tag t of the entry that T moves, counter c in stripe k.
 *  - If B1 moved c after S1 read it, the stamp holds c's old value: the entry fails validation
 *    once B1 is done, i.e. before T's commit() returns.
 *  - If B1 moved c before S1, c holds more than stripe k's clock at any earlier reading, so more
 *    than the snapshot's value for k: S1 in stripe k does not prove it and nothing is stored.
 *    A tag found only by the load (a related row) is covered alike: the snapshot holds some
 *    earlier reading of its stripe's clock, or 0 (never proven).
 *  - If c was absent when B1 ran (no move), S1 creates it, which is not a proof.
 * S2 may come late (a paused thread): its stamp is from S1, so the first case applies. A bump that
 * fails on any master (a partial B1) is reported failed and retried whole by the backlog and the
 * outbox; moving a counter twice only invalidates more. Messages go out only after B1 succeeded
 * on every stripe: a node that dropped a value on a message and read it again finds every tag
 * already moved. Write epochs are still moved (B1) and read (M): concurrent misses join one load
 * only when they read the same epochs (StampedCache's single flight), and a commit that returned
 * moved them.
 * Cost: a commit is one round trip to each master holding its stripes, in parallel, then the
 * message; a miss's store is two waves (S1, S2) after M. Hits are one.
 *
 * Lost counters and clocks (eviction, expiry, a failover to a replica that missed a write). A
 * counter or clock is created from the clock (TIME, us) of the master owning its slot, then only
 * ticked by one per call at most beyond that master's clock, and a call takes more than a
 * microsecond, so every value it shows is below that master's clock at the time. One recreated
 * later, possibly on another master (after a failover or a migration), starts from that master's
 * clock. So the argument needs the masters' clocks to agree to better than the time between a
 * loss and its re-creation: a failover takes at least the cluster node timeout (seconds), so
 * NTP-synchronized masters (milliseconds) satisfy it; a master whose clock is behind the others by
 * more than that could recreate a counter at a value it once had (CONSISTENCY.md 11). A replica
 * holds a prefix of its master's scripts, each whole, so a promoted replica's clocks still cover
 * its counters. A migration (MIGRATE) moves counters and clocks with their values; while a slot
 * moves, every call is one slot, so Redis answers it on the node holding the key (ASK), or
 * TRYAGAIN, which fails a bump (retried) or a read (served by the database).
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

    /** The most a commit waits for its bump. */
    private final Duration bumpBudget;

    private static final String COUNTERS = ClusterCalls.script("counters.lua");
    private static final String STAMP = ClusterCalls.script("stamp.lua");
    private static final int REMEMBERED_ENTRIES = 4_096;

    private final ClusterCalls calls;
    private final String entryPrefix;
    private final CounterStripes counters;
    private final StripeClocks clocks = new StripeClocks();
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
        this.counters = new CounterStripes(counterPrefix);
        this.counterTtlFloor = counterTtlFloor;
        this.maxCountersPerCall = bump.maxCountersPerCall();
        this.stripes = new TagStripes(calls, counters);
        // The channel carries a hash tag, so its sequence counter (channel + ":seq") shares its
        // slot; both start with the namespace, as an ACL user limited to it requires.
        this.channel = counterPrefix + "~invalidations"
                + (counterPrefix.indexOf('{') < 0 ? "{" + counterPrefix + "~inv}" : "");
        this.leases = RedisNearCacheChannel.sharded(client, channel);
        this.bumps = new ClusterBump(calls, counters, clocks, leases, (bumpBudget = bump.effectiveTimeout(ClusterCalls.commandTimeout(client))),
                bump.replicas(), bump.replicaTimeout(), maxCountersPerCall);
    }

    @Override
    public ReadResult read(String entryKey, List<String> epochTags) {
        return readKnowingSomeTags(entryKey, Set.of(), epochTags);
    }

    /** The tags remembered for the entry and {@code someTags}: their counters are created on a miss. */
    @Override
    public ReadResult readKnowingSomeTags(String entryKey, Collection<String> someTags, List<String> epochTags) {
        Set<String> remembered = stampedTags.getIfPresent(entryKey);
        if (remembered == null || remembered.containsAll(someTags)) {
            return read(entryKey, remembered == null ? someTags : remembered, epochTags, false);
        }
        Set<String> both = new LinkedHashSet<>(remembered);
        both.addAll(someTags);
        return read(entryKey, both, epochTags, false);
    }

    @Override
    public ReadResult read(String entryKey, Collection<String> expectedTags, List<String> epochTags) {
        return read(entryKey, expectedTags, epochTags, true);
    }

    /**
     * The stripe of an entry's striped tags: near its anchor tag when the caller knows every tag
     * before the load (a lookup by id), else by its key. A load that learns tags (a list learns
     * its rows) must store on the stripe its miss read, or the store could not be proven.
     */
    private int stripeOf(String entryKey, Collection<String> tags, boolean tagsKnownToCaller) {
        return tagsKnownToCaller ? stripes.stripeFor(entryKey, tags) : TagStripes.stripeOf(entryKey);
    }

    /**
     * One wave: the entry and the counters of the tags it is expected to carry. The epochs and
     * clocks are read only when it is not a hit (one more wave, before the load: M at the top), so
     * no hit reads an entity's write epoch, which every miss and commit of the entity share.
     */
    private ReadResult read(String entryKey, Collection<String> expectedTags, List<String> epochTags,
                            boolean tagsKnownToCaller) {
        int stripe = stripeOf(entryKey, expectedTags, tagsKnownToCaller);
        List<String> keys = new ArrayList<>(1 + expectedTags.size());
        keys.add(entryPrefix + entryKey);
        for (String tag : expectedTags) {
            keys.add(counterKey(tag, stripe));
        }
        List<byte[]> found = calls.get(keys);
        byte[] raw = found.get(0);
        if (raw == null) {
            return beforeLoad(Status.ABSENT, epochTags, expectedTags, stripe);
        }
        StampedEntryFormat.Decoded entry = StampedEntryFormat.decode(raw);
        if (entry == null) {
            return beforeLoad(Status.FOREIGN, epochTags, expectedTags, stripe);
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
            return beforeLoad(Status.STALE, epochTags, entry.tags(), stripe);
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
                keys.add(counters.key(stripe < 0 ? tag : TagStripes.counter(tag, stripe)));
            } else {
                keys.add(counters.key(tag));
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

    /** The counter of {@code tag} for an entry of stripe {@code stripe}. */
    private static String counter(String tag, int stripe) {
        return TagStripes.striped(tag) ? TagStripes.counter(tag, stripe) : tag;
    }

    /** The counter key of {@code tag} for an entry of stripe {@code stripe}. */
    private String counterKey(String tag, int stripe) {
        return counters.key(counter(tag, stripe));
    }

    /**
     * M: before a load, creates the absent counters of {@code epochTags} and of the tags known in
     * advance, reads them with their stripes' clocks (one wave), and snapshots every stripe's
     * latest clock reading; the snapshot's id is the miss's {@code since}.
     */
    private ReadResult beforeLoad(Status status, List<String> epochTags, Collection<String> knownTags, int stripe) {
        Set<String> wanted = new LinkedHashSet<>();
        epochTags.forEach(tag -> wanted.add(counter(tag, stripe)));
        knownTags.forEach(tag -> wanted.add(counter(tag, stripe)));
        Map<String, String> values = create(wanted);
        List<EpochValue> epochs = new ArrayList<>(epochTags.size());
        epochTags.forEach(tag -> epochs.add(new EpochValue(tag, values.get(counter(tag, stripe)))));
        return ReadResult.miss(status, epochs, clocks.snapshot());
    }

    /** Creates absent counters (ticking their stripes' clocks); every counter's value afterwards. */
    private Map<String, String> create(Collection<String> wanted) {
        List<CounterStripes.Group> groups = CounterStripes.groups(wanted, maxCountersPerCall);
        List<Object> replies = calls.eval(COUNTERS, RScript.ReturnType.LIST, counters.keys(groups), bytes("create"));
        Map<String, String> values = new HashMap<>();
        for (int g = 0; g < groups.size(); g++) {
            List<?> reply = (List<?>) replies.get(g);
            CounterStripes.Group group = groups.get(g);
            clocks.observe(group.stripe(), Long.parseLong(text((byte[]) reply.get(0))));
            for (int i = 0; i < group.counters().size(); i++) {
                values.put(group.counters().get(i), text((byte[]) reply.get(i + 1)));
            }
        }
        return values;
    }

    /**
     * S1 and S2 (see the top): proven per stripe against the clocks snapshotted before the load
     * ({@code since} is the snapshot's id; {@code watched} is not compared, since a bump moves
     * epochs and tags in parallel). With neither a snapshot nor anything watched, the store is
     * unconditional, as the contract allows; with something watched but no snapshot (or one no
     * longer kept), refused.
     */
    @Override
    public Fingerprint stamp(String entryKey, byte[] payload, Collection<String> tags, List<EpochValue> watched,
                             long since, Duration entryTtl, boolean tagsKnownToCaller) {
        long entryMillis = entryTtl == null ? 0 : entryTtl.toMillis();
        long counterMillis = counterTtlFloor.isZero() || entryMillis == 0 ? 0
                : Math.max(counterTtlFloor.toMillis(), entryMillis);
        long[] snapshot = clocks.snapshot(since);
        boolean unconditional = since == 0 && watched.isEmpty();
        if (snapshot == null && !unconditional) {
            return null;
        }
        List<String> tagList = List.copyOf(new LinkedHashSet<>(tags));
        int stripe = stripeOf(entryKey, tagList, tagsKnownToCaller);
        List<String> tagCounters = new ArrayList<>(tagList.size());
        tagList.forEach(tag -> tagCounters.add(counter(tag, stripe)));
        try {
            // S1: the stamp, and the proof, per stripe.
            List<CounterStripes.Group> groups = CounterStripes.groups(tagCounters, maxCountersPerCall);
            List<Object[]> args = new ArrayList<>(groups.size());
            for (CounterStripes.Group group : groups) {
                long clock = snapshot == null ? 0 : snapshot[group.stripe()];
                args.add(new Object[] {bytes(Long.toString(counterMillis)), bytes(Long.toString(clock))});
            }
            List<Object> replies = calls.evalEach(STAMP, RScript.ReturnType.LIST, counters.keys(groups), args);
            Map<String, String> generation = new HashMap<>();
            boolean proven = true;
            for (int g = 0; g < groups.size(); g++) {
                List<?> reply = (List<?>) replies.get(g);
                CounterStripes.Group group = groups.get(g);
                proven &= ((Number) reply.get(0)).longValue() == 1;
                clocks.observe(group.stripe(), Long.parseLong(text((byte[]) reply.get(1))));
                for (int i = 0; i < group.counters().size(); i++) {
                    generation.put(group.counters().get(i), text((byte[]) reply.get(i + 2)));
                }
            }
            if (!proven && !unconditional) {
                return null;
            }
            // S2: the entry, stamped with S1's generations.
            List<String> generations = new ArrayList<>(tagList.size());
            for (int t = 0; t < tagList.size(); t++) {
                String value = generation.get(tagCounters.get(t));
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
    public void enableLeases(long termMillis, String node, PreparedCommits prepared) {
        bumps.enableLeases(termMillis, node, prepared);
    }

    @Override
    public Duration bumpBudget() {
        return bumpBudget;
    }

    @Override
    public RedisNearCacheChannel channel() {
        return leases;
    }

    /** The slot a counter of {@code tag} lives in (tests and benchmarks). */
    public int counterSlot(String tag) {
        return calls.slot(counterKey(tag, 0));
    }
}
