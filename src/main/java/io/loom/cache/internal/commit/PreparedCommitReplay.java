package io.loom.cache.internal.commit;

import io.loom.cache.internal.generation.RedisNearCacheChannel;
import io.loom.cache.invalidation.Invalidation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/*
 * Recorded prepares: the leased mode's durable record of a commit, kept in Redis by the prepare
 * that the commit sends anyway, instead of a row in the database's outbox table.
 *
 * Claim: a commit whose node dies (or is cut off from Redis for good) after its database commit
 * and before its bump is bumped by another node within replayAfter + sweep period + one lease
 * after its prepare, as with an outbox row.
 *
 *   before completion  the prepare (announce.lua) adds "<sequence> <node> <invalidation>" to the
 *                      intents set, scored replayAfter after Redis's clock; the writer waits for
 *                      its reply BEFORE the database commit, so the record is in Redis before
 *                      the change can be committed. No reply within the bump budget: the writer
 *                      writes the outbox row instead (and the record, should it land later, is
 *                      merely replayed once more).
 *   after commit       the bump is published as before; once delivered, the member is queued and
 *                      removed by the next sweep (one ZREM per sweep).
 *   every sweep        (each node) intents.lua claims due records whose node holds no live lease
 *                      by Redis time, pushing each back by the claim delay, and this node bumps
 *                      them (one merged bump) and removes them.
 *
 * Why a due record is bumped only once its node lost its lease: a live node bumps its commit
 * itself (retrying until delivered, reading from the database meanwhile); only a node that
 * stopped renewing (died, paused, cut off) can leave a commit unbumped. Why it waits replayAfter
 * as well: a replay must come after the database commit it stands for, and a dead node's last
 * commit is applied by the database within moments of its death (a replay that came too early
 * is a bump of a rolled-back transaction, which does no harm; one that came before a commit the
 * database applied later would not cover it, hence the wait). Replays only invalidate more, so
 * claims that overlap (a claimer died, a late node bumped as well) are harmless.
 *
 * What this record does not survive, unlike the outbox row: a failover to a replica that had
 * not received it (as a bump without bump.replicas; with bump.replicas the outbox row is always
 * written) and the eviction of the intents set (written by every commit and read by every sweep,
 * it is the last key an LRU or LFU policy evicts; allkeys-random may take it). An empty restart
 * loses it together with every entry it could have made stale. docs/CONSISTENCY.md 4.
 */
/** Every node's sweep of recorded prepares, and the removal of its own once bumped. Thread-safe. */
public final class PreparedCommitReplay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PreparedCommitReplay.class);
    /** Records one sweep looks at, at most. */
    private static final int CLAIM_LIMIT = 500;
    /** Members one removal sends, at most. */
    private static final int REMOVE_LIMIT = 1_000;

    private final RedisNearCacheChannel channel;
    private final Consumer<Invalidation> bump;
    private final long claimDelayMillis;
    private final Queue<String> delivered = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService sweeper;
    private volatile boolean failing;

    /**
     * @param channel    where the records are kept
     * @param bump       moves a replayed invalidation's counters now, throwing when it cannot
     * @param sweepEvery period of the sweep
     * @param claimDelay how long a claimed record waits before another sweep may claim it again
     */
    public PreparedCommitReplay(RedisNearCacheChannel channel, Consumer<Invalidation> bump, Duration sweepEvery,
                                Duration claimDelay) {
        this.channel = channel;
        this.bump = bump;
        this.claimDelayMillis = Math.max(1, claimDelay.toMillis());
        this.sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "loom-cache-prepare-replay");
            thread.setDaemon(true);
            return thread;
        });
        long millis = Math.max(1, sweepEvery.toMillis());
        sweeper.scheduleWithFixedDelay(this::sweepQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** The commit recorded under {@code member} was bumped: its record goes at the next sweep. */
    public void delivered(String member) {
        delivered.add(member);
    }

    /**
     * One sweep: removes the records of bumped commits, then bumps and removes the due records of
     * nodes without a lease.
     *
     * @return the number of records replayed
     * @throws RuntimeException when Redis fails (claimed records are claimed again later)
     */
    public int sweep() {
        removeDelivered();
        List<String> claimed = channel.claimDueIntents(CLAIM_LIMIT, claimDelayMillis);
        if (claimed.isEmpty()) {
            return 0;
        }
        Invalidation merged = new Invalidation(java.util.Set.of(), java.util.Set.of());
        for (String member : claimed) {
            try {
                merged = merged.plus(Invalidation.decode(RedisNearCacheChannel.intentRecord(member)));
            } catch (Invalidation.MalformedInvalidationException e) {
                LOG.warn("Loom Cache recorded prepare {} is not an invalidation; removed ({})", member, e.getMessage());
            }
        }
        if (!merged.isEmpty()) {
            bump.accept(merged);
        }
        channel.removeIntents(claimed);
        LOG.info("Loom Cache replayed {} commit(s) whose node did not bump them", claimed.size());
        return claimed.size();
    }

    private void removeDelivered() {
        List<String> members = new ArrayList<>();
        String member;
        while (members.size() < REMOVE_LIMIT && (member = delivered.poll()) != null) {
            members.add(member);
        }
        try {
            channel.removeIntents(members);
        } catch (RuntimeException e) {
            delivered.addAll(members);
            throw e;
        }
    }

    private void sweepQuietly() {
        try {
            sweep();
            failing = false;
        } catch (RuntimeException e) {
            if (failing) {
                LOG.debug("Loom Cache sweep of recorded prepares failed: {}", e.toString());
            } else {
                failing = true;
                LOG.warn("Loom Cache sweep of recorded prepares failed ({}); retried every period", e.toString());
            }
        }
    }

    /** Stops sweeping and removes the records of commits this node bumped (best effort). */
    @Override
    public void close() {
        sweeper.shutdown();
        try {
            if (!sweeper.awaitTermination(5, TimeUnit.SECONDS)) {
                sweeper.shutdownNow();
            }
            while (!delivered.isEmpty()) {
                removeDelivered();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debug("Loom Cache left {} bumped prepare record(s); a later sweep replays them once more ({})",
                    delivered.size(), e.toString());
        }
    }
}
