package io.loom.cache.internal.cluster;

import io.loom.cache.internal.generation.Bumped;
import io.loom.cache.internal.generation.RedisNearCacheChannel;
import org.redisson.api.RScript;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A commit's bump on a cluster, in the order {@link ClusterGenerationStore} argues for: every
 * write epoch (B1), then every dependency tag (B2), then the message to the near caches (B3), each
 * wave one round trip to each master it touches, in parallel, all within one budget (heartbeats
 * and lease renewals share the message's slot and sequence: RedisNearCacheChannel.sharded). With
 * leased near caches the message's script also lists the live members, as bump.lua does on one
 * server. A failure on any master fails the whole bump (the caller keeps it and retries it whole).
 * Thread-safe.
 */
final class ClusterBump {

    private static final String COUNTERS = ClusterCalls.script("counters.lua");
    private static final String PUBLISH = ClusterCalls.script("publish.lua");

    private final ClusterCalls calls;
    private final String counterPrefix;
    private final String channel;
    private final String sequenceKey;
    private final String membersKey;
    /** Lease + drift margin when near caches hold leases, else 0 (see publish.lua). */
    private volatile long leaseTermMillis;
    /** This node's lease id, sent with its bumps' messages ("" without a lease). */
    private volatile String leaseNode = "";
    private final Duration budget;
    private final int replicas;
    private final Duration replicaTimeout;
    private final int maxCountersPerCall;
    private final List<Consumer<Bumped>> listeners = new CopyOnWriteArrayList<>();

    ClusterBump(ClusterCalls calls, String counterPrefix, RedisNearCacheChannel channel, Duration budget,
                int replicas, Duration replicaTimeout, int maxCountersPerCall) {
        this.calls = calls;
        this.counterPrefix = counterPrefix;
        this.channel = channel.invalidationChannel();
        // The sequence and the membership share the channel's hash tag, hence its slot: publish.lua
        // numbers, sends and lists the members in one step.
        this.sequenceKey = channel.sequenceKey();
        this.membersKey = channel.membersKey();
        this.budget = budget;
        this.replicas = replicas;
        this.replicaTimeout = replicaTimeout;
        this.maxCountersPerCall = maxCountersPerCall;
    }

    void enableLeases(long termMillis, String node) {
        this.leaseNode = node;
        this.leaseTermMillis = termMillis;
    }

    void addListener(Consumer<Bumped> listener) {
        listeners.add(listener);
    }

    long bump(Collection<String> epochTags, Collection<String> tags) {
        if (epochTags.isEmpty() && tags.isEmpty()) {
            return 0;
        }
        long deadline = System.nanoTime() + budget.toNanos();
        long moved = wave(epochTags, "epoch", deadline);   // B1: every epoch first
        moved += wave(striped(tags), "tag", deadline);      // B2: then the tags they guard
        if (!tags.isEmpty()) {                              // B3: then the message
            Object[] args = new Object[3 + tags.size()];
            args[0] = bytes(channel);
            args[1] = bytes(Long.toString(leaseTermMillis));
            args[2] = bytes(leaseNode);
            int i = 3;
            for (String tag : tags) {
                args[i++] = bytes(tag);
            }
            Bumped bumped = Bumped.fromReplies(tags, moved, calls.boundedEval(PUBLISH, RScript.ReturnType.LIST,
                    List.of(List.of(sequenceKey, membersKey)), List.<Object[]>of(args), deadline, 0, 0));
            listeners.forEach(listener -> listener.accept(bumped));
        }
        return moved;
    }

    /** The counters of {@code tags}: every stripe of a striped tag. */
    private static List<String> striped(Collection<String> tags) {
        List<String> out = new ArrayList<>(tags.size());
        for (String tag : tags) {
            if (TagStripes.striped(tag)) {
                for (int stripe = 0; stripe < TagStripes.STRIPES; stripe++) {
                    out.add(TagStripes.counter(tag, stripe));
                }
            } else {
                out.add(tag);
            }
        }
        return out;
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

    private List<String> keys(Collection<String> tags) {
        List<String> keys = new ArrayList<>(tags.size());
        tags.forEach(tag -> keys.add(counterPrefix + tag));
        return keys;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
