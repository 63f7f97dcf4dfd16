package io.loom.cache.internal.generation;

import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.codec.StringCodec;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import static io.loom.cache.internal.generation.LuaScript.bytes;
import static io.loom.cache.internal.generation.LuaScript.text;

/**
 * The near caches' side of one Redis generation store: the channel every bump publishes on, the
 * heartbeats sent in order with those messages, and the leased mode's membership and
 * acknowledgements (lease.lua, ack.lua, pending.lua; see io.loom.cache.internal.near.LeaseMembership).
 *
 * <p>Thread-safe.
 */
public final class RedisNearCacheChannel {

    private static final LuaScript HEARTBEAT = LuaScript.load("heartbeat.lua");
    private static final LuaScript LEASE = LuaScript.load("lease.lua");
    private static final LuaScript ACK = LuaScript.load("ack.lua");
    private static final LuaScript PENDING = LuaScript.load("pending.lua");
    private static final LuaScript ANNOUNCE = LuaScript.load("announce.lua");
    private static final LuaScript INTENTS = LuaScript.load("intents.lua");

    private final RedissonClient client;
    /** Prefix of the membership, acknowledgement and sequence keys (one slot on a cluster). */
    private final String counterPrefix;
    private final String invalidationChannel;
    /** PUBLISH on one server, SPUBLISH for the sharded channel of a cluster. */
    private final String publish;

    RedisNearCacheChannel(RedissonClient client, String counterPrefix) {
        this(client, counterPrefix, counterPrefix + "~invalidations", "PUBLISH");
    }

    private RedisNearCacheChannel(RedissonClient client, String counterPrefix, String invalidationChannel,
                                  String publish) {
        this.client = client;
        this.counterPrefix = counterPrefix;
        this.invalidationChannel = invalidationChannel;
        this.publish = publish;
    }

    /**
     * The lease side of a cluster's sharded invalidation channel: membership, acknowledgements and
     * the sequence live under {@code channel + ":"}, in the channel's slot (the channel carries a
     * hash tag), so lease.lua publishes its heartbeat in order with the bumps' messages as on one
     * server.
     */
    public static RedisNearCacheChannel sharded(RedissonClient client, String channel) {
        return new RedisNearCacheChannel(client, channel + ":", channel, "SPUBLISH");
    }

    /** The key the invalidation sequence is counted under. */
    public String sequenceKey() {
        return counterPrefix + "~seq";
    }

    /** The membership set's key (lease expiries by node, in Redis time). */
    public String membersKey() {
        return counterPrefix + "~members";
    }

    /**
     * Renews {@code node}'s lease for {@code leaseMillis} of Redis time and publishes its heartbeat
     * {@code {"hb", node, sequence, token}} in order with every bump's message.
     *
     * @return the invalidation sequence at the renewal
     */
    public long renewLease(String node, String token, long leaseMillis) {
        Long sequence = LEASE.run(client, RScript.Mode.READ_WRITE, RScript.ReturnType.LONG,
                List.of(bytes(membersKey())), new Object[] {bytes(counterPrefix), bytes(node),
                        bytes(Long.toString(leaseMillis)), bytes(invalidationChannel()), bytes(token), bytes(publish)});
        return sequence == null ? 0 : sequence;
    }

    /** Removes {@code node} from the membership: writers stop waiting for its acknowledgements. */
    public void leaveLease(String node) {
        client.getScoredSortedSet(counterPrefix + "~members", StringCodec.INSTANCE).remove(node);
        client.getMap(counterPrefix + "~acks", StringCodec.INSTANCE).fastRemove(node);
    }

    /**
     * Records that {@code node} applied every invalidation up to {@code sequence}, and tells the
     * writers; without waiting, so the thread that applied the messages sends it with no hand-off
     * (the script travels as EVAL: no NOSCRIPT retry).
     */
    public CompletionStage<Object> acknowledgeAsync(String node, long sequence, long from) {
        return client.getScript(ByteArrayCodec.INSTANCE).evalAsync(RScript.Mode.READ_WRITE, ACK.source(),
                RScript.ReturnType.LONG, List.of(bytes(counterPrefix + "~acks")),
                bytes(node), bytes(Long.toString(sequence)), bytes(acknowledgementChannel()),
                bytes(Long.toString(from)));
    }

    /**
     * Announces, before a commit, the dependency tags it will move: every other node blocks them
     * for {@code blockMillis} of its own clock, or until the bump carrying the returned sequence
     * (announce.lua). Without waiting.
     *
     * @param record       the commit's encoded invalidation, kept in the intents set until removed
     *                     (see {@link #intentMember}), or null to keep nothing
     * @param replayMillis Redis time after which a record whose node lost its lease may be replayed
     * @return the prepare's invalidation sequence
     */
    public CompletionStage<Long> prepareAsync(String node, long blockMillis, Collection<String> tags, String record,
                                              long replayMillis) {
        return announceAsync(node, "p", blockMillis, record == null ? "" : record, replayMillis, tags);
    }

    /**
     * Lifts the blocks of prepare {@code prepared} on every node (its transaction rolled back) and
     * removes its record ({@code member}, or null when it kept none), without waiting.
     */
    public CompletionStage<Long> liftAsync(String node, long prepared, String member) {
        return announceAsync(node, "lift", prepared, member == null ? "" : member, 0, List.of());
    }

    /** The member of the intents set a prepare's {@code record} is kept under. */
    public static String intentMember(long sequence, String node, String record) {
        return sequence + " " + node + " " + record;
    }

    /** The record of an intents-set member ({@link #intentMember}). */
    public static String intentRecord(String member) {
        int first = member.indexOf(' ');
        int second = first < 0 ? -1 : member.indexOf(' ', first + 1);
        return second < 0 ? "" : member.substring(second + 1);
    }

    /** The key of the recorded prepares (announce.lua, intents.lua). */
    public String intentsKey() {
        return counterPrefix + "~intents";
    }

    /**
     * Claims up to {@code limit} due records whose node holds no live lease (intents.lua), pushing
     * every record looked at back by {@code retryMillis}.
     */
    public List<String> claimDueIntents(int limit, long retryMillis) {
        List<Object> claimed = INTENTS.run(client, RScript.Mode.READ_WRITE, RScript.ReturnType.LIST,
                List.of(bytes(intentsKey()), bytes(membersKey())),
                new Object[] {bytes(Integer.toString(limit)), bytes(Long.toString(retryMillis))});
        return claimed.stream().map(LuaScript::text).toList();
    }

    /** Removes records whose commits were bumped. */
    public void removeIntents(Collection<String> members) {
        if (!members.isEmpty()) {
            client.getScoredSortedSet(intentsKey(), StringCodec.INSTANCE).removeAll(members);
        }
    }

    /** Records in the intents set (a test and diagnostics seam). */
    public int intentCount() {
        return client.getScoredSortedSet(intentsKey(), StringCodec.INSTANCE).size();
    }

    /** announce.lua, as EVAL (no NOSCRIPT retry): a prepare or a lift. */
    private CompletionStage<Long> announceAsync(String node, String kind, long number, String record,
                                                long replayMillis, Collection<String> tags) {
        Object[] args = new Object[7 + tags.size()];
        args[0] = bytes(invalidationChannel);
        args[1] = bytes(node);
        args[2] = bytes(publish);
        args[3] = bytes(kind);
        args[4] = bytes(Long.toString(number));
        args[5] = bytes(record);
        args[6] = bytes(Long.toString(replayMillis));
        int i = 7;
        for (String tag : tags) {
            args[i++] = bytes(tag);
        }
        return client.getScript(ByteArrayCodec.INSTANCE).<Long>evalAsync(RScript.Mode.READ_WRITE, ANNOUNCE.source(),
                RScript.ReturnType.LONG, List.of(bytes(sequenceKey()), bytes(intentsKey())), args);
    }

    /** Those of {@code members} that have not acknowledged {@code sequence} and whose lease is live. */
    public Set<String> pendingAcknowledgements(Collection<String> members, long sequence) {
        if (members.isEmpty()) {
            return Set.of();
        }
        Object[] args = new Object[2 + members.size()];
        args[0] = bytes(counterPrefix + "~acks");
        args[1] = bytes(Long.toString(sequence));
        int i = 2;
        for (String member : members) {
            args[i++] = bytes(member);
        }
        // On the master (READ_WRITE): a replica's older lease scores could release a writer early.
        List<Object> pending = PENDING.run(client, RScript.Mode.READ_WRITE, RScript.ReturnType.LIST,
                List.of(bytes(membersKey())), args);
        Set<String> out = new HashSet<>();
        for (Object member : pending) {
            out.add(text(member));
        }
        return out;
    }

    /** The pub/sub channel on which nodes announce their acknowledgements ("node sequence"). */
    public String acknowledgementChannel() {
        return counterPrefix + "~acked";
    }

    /** The pub/sub channel every bump publishes its dependency tags on. */
    public String invalidationChannel() {
        return invalidationChannel;
    }

    /** The client this store talks through (for subscribing to the channels). */
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
                List.of(bytes(sequenceKey())),
                new Object[] {bytes(invalidationChannel()), bytes(node), bytes(token), bytes(publish)});
        return sequence == null ? 0 : sequence;
    }
}
