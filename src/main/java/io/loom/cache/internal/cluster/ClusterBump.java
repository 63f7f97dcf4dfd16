package io.loom.cache.internal.cluster;

import io.loom.cache.internal.generation.Bumped;
import io.loom.cache.internal.generation.PreparedCommits;
import io.loom.cache.internal.generation.RedisNearCacheChannel;
import org.redisson.api.RScript;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A commit's bump on a cluster, in the order {@link ClusterGenerationStore} argues for: every
 * write epoch and dependency tag in one wave (one script per stripe, each moving its counters and
 * ticking its clock), then the message to the near caches, each wave one round trip to each
 * master it touches, in parallel, all within one budget (heartbeats and lease renewals share the
 * message's slot and sequence: RedisNearCacheChannel.sharded). With leased near caches the
 * message's script also lists the live members, as bump.lua does on one server. A failure on any
 * master fails the whole bump (the caller keeps it and retries it whole). Thread-safe.
 */
final class ClusterBump {

    private static final String COUNTERS = ClusterCalls.script("counters.lua");
    private static final String PUBLISH = ClusterCalls.script("publish.lua");

    private final ClusterCalls calls;
    private final CounterStripes stripes;
    private final StripeClocks clocks;
    private final String channel;
    private final String sequenceKey;
    private final String membersKey;
    /** Lease + drift margin when near caches hold leases, else 0 (see publish.lua). */
    private volatile long leaseTermMillis;
    /** This node's lease id, sent with its bumps' messages ("" without a lease). */
    private volatile String leaseNode = "";
    private volatile PreparedCommits prepared = PreparedCommits.NONE;
    private final Duration budget;
    private final int replicas;
    private final Duration replicaTimeout;
    private final int maxCountersPerCall;
    private final List<Consumer<Bumped>> listeners = new CopyOnWriteArrayList<>();

    ClusterBump(ClusterCalls calls, CounterStripes stripes, StripeClocks clocks, RedisNearCacheChannel channel,
                Duration budget, int replicas, Duration replicaTimeout, int maxCountersPerCall) {
        this.calls = calls;
        this.stripes = stripes;
        this.clocks = clocks;
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

    void enableLeases(long termMillis, String node, PreparedCommits prepared) {
        this.prepared = prepared;
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
        long moved = move(epochTags, striped(tags), deadline);  // one wave: every stripe at once
        if (!tags.isEmpty()) {                                  // then the message
            Object[] args = new Object[4 + tags.size()];
            args[0] = bytes(channel);
            args[1] = bytes(Long.toString(leaseTermMillis));
            args[2] = bytes(leaseNode);
            args[3] = bytes(Long.toString(prepared.preparedFor(tags)));
            int i = 4;
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

    /** One wave: each stripe's epochs (created when absent) and tags (moved when present), one call per stripe. */
    private long move(Collection<String> epochs, List<String> tags, long deadline) {
        Set<String> epochSet = new HashSet<>(epochs);
        List<String> counters = new ArrayList<>(epochs.size() + tags.size());
        counters.addAll(epochs);
        counters.addAll(tags);
        List<CounterStripes.Group> groups = CounterStripes.groups(counters, maxCountersPerCall);
        List<Object[]> args = new ArrayList<>(groups.size());
        for (CounterStripes.Group group : groups) {
            // Epochs come first in every group (first-seen order), so they are the group's first N.
            long epochsInGroup = group.counters().stream().filter(epochSet::contains).count();
            args.add(new Object[] {bytes("bump"), bytes(Long.toString(epochsInGroup))});
        }
        long moved = 0;
        List<Object> replies = calls.boundedEval(COUNTERS, RScript.ReturnType.LIST, stripes.keys(groups), args,
                deadline, replicas, replicaTimeout.toMillis());
        for (int g = 0; g < groups.size(); g++) {
            List<?> reply = (List<?>) replies.get(g);
            moved += ((Number) reply.get(0)).longValue();
            clocks.observe(groups.get(g).stripe(), Long.parseLong(ClusterCalls.text((byte[]) reply.get(1))));
        }
        return moved;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
