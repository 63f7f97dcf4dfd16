package io.loom.cache.internal.near;

import io.loom.cache.config.NearCacheSettings;
import io.loom.cache.internal.generation.Bumped;
import io.loom.cache.internal.generation.LeaseChannel;
import io.loom.cache.internal.generation.PreparedCommits;
import io.loom.cache.internal.generation.RedisNearCacheChannel;
import org.redisson.api.RTopic;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/*
 * Leased near cache: why a hit served without a round trip is never stale (Gray and Cheriton's
 * leases, SOSP 1989, with Redis as the coordinator).
 *
 * Claim: a read that starts on node R after commit() returned on node W never serves, from R's
 * near cache, a value the commit's bump (sequence s, applied in Redis at time B) made stale.
 *
 * R serves a kept value locally only when (pushed mode's rule, InvalidationLog) no tag of it was
 * recorded after the value was proven current, nothing was missed (no gap in the sequence), and
 * R's lease is valid by R's own monotonic clock: the last renewal whose heartbeat came back to R
 * IN SEQUENCE on the invalidation channel was SENT less than lease - drift ago. A renewal (lease.lua)
 * publishes that heartbeat in the same script that extends R's score, so:
 *   (1) a heartbeat of a renewal Redis ran after B comes after s's message on the channel: R
 *       receives it only after applying s (or after seeing a gap, which forgets everything);
 *   (2) a renewal Redis ran before B was sent before B, so the lease it gives R ends, by R's
 *       clock, before B + lease - drift; and Redis recorded R's expiry as (its run time) + lease.
 * The bump returns the members whose score is above Redis time at B. W then waits until each
 * member m != W either
 *   (a) acknowledged a sequence >= s (ack.lua, written after m applied every message up to it;
 *       sequences are created from the server clock, so one from before a restart is below every
 *       later one and cannot pass for a newer), so m dropped the stale values before commit()
 *       returned; or
 *   (b) has no live lease by Redis time (pending.lua): every renewal Redis ran before now has
 *       expired, so by (2) m's clock says its lease ended; a later renewal falls under (1); or
 *   (c) lease + drift passed on W's clock since the bump's reply (which came after B): every lease
 *       granted before B ended by (2), whatever m's score says (a renewal may have run while m's
 *       subscription was cut: the heartbeat never came back, so it gave m no lease).
 * A node not among the members at B had no live lease at B; any lease it holds later comes from a
 * renewal after B, under (1). The committing node dropped its own values before waiting.
 * Join: a node starts empty, subscribes before its first renewal, and serves nothing until that
 * renewal's heartbeat came back (which resets its log: nothing before it is trusted).
 * Lease lapse (a pause, a lost link): the node's own clock says its lease ended, so it validates by
 * round trip; when a heartbeat comes back again it forgets what it kept (InvalidationLog.reset) and
 * holds a lease again. Messages buffered during the pause are applied after the reset, so they only
 * invalidate more.
 * Redis restart or lost membership (eviction): leases that nodes still hold may be unknown to the
 * new set. The set records when it was created ('~since'); while it is younger than lease + drift,
 * bump.lua tells W to wait out the rest of that term, after which every lease granted before the loss
 * ended by (2). Nodes see the sequence go back or jump and forget what they kept.
 * A commit whose bump failed told no node: InvalidationPublisher keeps it from returning until it
 * is delivered and acknowledged, or lease + drift passed since the outage's first failure (every
 * lease Redis granted before it stopped answering has then ended by (2)).
 * The drift margin absorbs the difference in clock rates between nodes and Redis over one lease
 * (50 ms per second is 5%). Limits: System.nanoTime must advance while the process is stopped (it
 * does for SIGSTOP and GC pauses; a suspended virtual machine's monotonic clock may not); a failover
 * to a replica that had not yet received a renewal may release a writer early (as it may lose a
 * bump without bump.replicas).
 * Announced commits (prepare, before the database commits): the prepare {'p', p, W, term, tag...}
 * makes every other node drop, BLOCK (no local hit; InvalidationLog) and acknowledge its tags; the
 * bump's message carries p and lifts the block, which otherwise ends after term on the node's own
 * clock; a lift records the tags again. W may count member m as done when m acknowledged p with an
 * unbroken run of messages from at or before p (m applied the prepare itself, no gap skipped it)
 * and the bump's reply came less than term - drift after W sent the prepare: then m's block, which
 * began after the send and lasts term by m's clock, held when the bump ran, so it is lifted after
 * the bump, and every value m serves locally after the lift was proven by a read after the bump.
 * Members that do not meet this (joined later, a gap, a slow database commit, a bump carrying a
 * backlog the prepare did not announce) are waited for by (a)-(c).
 * A prepare may also record the commit's invalidation in Redis (announce.lua), in place of the
 * outbox row: the writer then waits for the prepare's reply before its database commit. Blocks
 * and acknowledgements are the same with or without a record; the record's replay argument is
 * PreparedCommitReplay's.
 * The acknowledgement timeout bounds (c) further: a value below lease + drift lets a commit return
 * while an unresponsive node may still serve its old value for the rest of its lease; such commits
 * are logged. Retrying the bump would not help (it is applied; the node is what is late).
 */
/**
 * This node's lease in the namespace's membership and its acknowledgements of applied invalidations;
 * and, for this node's commits, the wait until every other member acknowledged them or lost its
 * lease. Thread-safe.
 */
final class LeaseMembership implements AutoCloseable, PreparedCommits {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseMembership.class);
    /** How long a bump waits for its prepare's reply before it goes without it (then it waits for acks). */
    private static final long PREPARE_REPLY_WAIT_MILLIS = 20;

    private final LeaseChannel store;
    private final String node = UUID.randomUUID().toString();
    private final long leaseMillis;
    private final long termNanos;
    private final long ackTimeoutNanos;
    private final long pollNanos;
    private final RTopic acknowledgements;
    private final long driftNanos;
    private final Map<String, Ack> acked = new ConcurrentHashMap<>();
    /** The prepare this thread announced for the commit it runs, until that commit's bump returns. */
    private final ThreadLocal<Prepare> prepared = new ThreadLocal<>();
    private final Object arrived = new Object();
    /** True while an acknowledgement is on its way (at most one at a time; later ones coalesce). */
    private final AtomicBoolean ackInFlight = new AtomicBoolean();
    private final AtomicBoolean warned = new AtomicBoolean();
    private volatile Integer listenerId;
    private volatile long highestApplied;
    /** The highest applied sequence a writer waits to see acknowledged now (not a covered bump's). */
    private volatile long owed;
    private volatile long unbrokenFrom = Long.MAX_VALUE;
    private volatile long lastSent;
    private volatile boolean paused;
    /** True when this node's last bump listed no other member: nobody to announce a commit to. */
    private volatile boolean alone;

    private LeaseMembership(LeaseChannel store, NearCacheSettings settings) {
        this.store = store;
        this.leaseMillis = settings.lease().toMillis();
        this.termNanos = settings.lease().plus(settings.driftMargin()).toNanos();
        this.driftNanos = settings.driftMargin().toNanos();
        this.ackTimeoutNanos = settings.ackTimeout().toNanos();
        this.pollNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1),
                Math.min(TimeUnit.MILLISECONDS.toNanos(20), settings.renewal().toNanos() / 10));
        this.acknowledgements = store.channel().client().getTopic(store.channel().acknowledgementChannel(), StringCodec.INSTANCE);
        store.enableLeases(TimeUnit.NANOSECONDS.toMillis(termNanos) + 1, node, this);
    }

    /** This node's membership of {@code store}'s namespace (not registered until the first renewal). */
    static LeaseMembership join(LeaseChannel store, NearCacheSettings settings) {
        return new LeaseMembership(store, settings);
    }

    String node() {
        return node;
    }

    /** Renews the lease; {@code token} is this node's clock when it sent the renewal. */
    void renew(String token) {
        if (listenerId == null) {
            subscribe();
        }
        store.channel().renewLease(node, token, leaseMillis);
        if (highestApplied != lastSent) {
            sendAcknowledgement(); // what appliedCovered left owing
        }
    }

    private void subscribe() {
        try {
            listenerId = acknowledgements.addListener(String.class, (channel, message) -> onAcknowledgement(message));
        } catch (RuntimeException e) {
            LOG.debug("Loom Cache could not subscribe to {}: {}", store.channel().acknowledgementChannel(), e.toString());
        }
    }

    private void onAcknowledgement(String message) {
        String[] parts = message.split(" ");
        if (parts.length != 3) {
            return;
        }
        try {
            Ack ack = new Ack(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
            acked.merge(parts[0], ack, (old, now) -> now.applied() >= old.applied() ? now : old);
        } catch (NumberFormatException e) {
            return;
        }
        synchronized (arrived) {
            arrived.notifyAll();
        }
    }

    /**
     * This node applied every invalidation up to {@code sequence}: acknowledge it (batched). Its
     * own bumps need no acknowledgement (no writer waits for the committing node, which dropped its
     * values first); a later acknowledgement of another node's bump covers them, as every one
     * covers everything up to it.
     */
    void applied(long sequence, String origin, long from) {
        unbrokenFrom = from;
        highestApplied = sequence;
        if (!origin.equals(node)) {
            owed = sequence;
            sendAcknowledgement();
        }
    }

    /**
     * Like {@link #applied}, for a bump whose prepare this node applied and blocked: its writer
     * already holds the prepare's acknowledgement, so this one goes with the next acknowledgement
     * or renewal instead of costing a round trip now (a writer whose block may have ended waits
     * at most one renewal period for it).
     */
    void appliedCovered(long sequence, long from) {
        unbrokenFrom = from;
        highestApplied = sequence;
    }

    /*
     * One acknowledgement in flight at a time, sent from the thread that applied the message (no
     * hand-off); messages applied meanwhile are covered by the next one, sent when it completes if
     * any of them is owed. Covered bumps are not owed: sending for them on completion would cost
     * every other node a second script per announced commit, and hold the next prepare's
     * acknowledgement behind it.
     */
    private void sendAcknowledgement() {
        if (paused || !ackInFlight.compareAndSet(false, true)) {
            return;
        }
        long sequence = highestApplied;
        if (sequence == lastSent) {
            ackInFlight.set(false);
            if (owed > sequence) {
                sendAcknowledgement();
            }
            return;
        }
        try {
            store.channel().acknowledgeAsync(node, sequence, unbrokenFrom).whenComplete((reply, error) -> {
                if (error == null) {
                    lastSent = sequence;
                } else {
                    // Writers then wait for this node's lease to run out, as for a paused node.
                    LOG.debug("Loom Cache near cache could not acknowledge {}: {}", sequence, error.toString());
                }
                ackInFlight.set(false);
                if (error == null && owed > sequence) {
                    sendAcknowledgement();
                }
            });
        } catch (RuntimeException e) {
            ackInFlight.set(false);
            LOG.debug("Loom Cache near cache could not acknowledge {}: {}", sequence, e.toString());
        }
    }

    /**
     * Announces the dependency tags of the commit this thread is about to make (announce.lua),
     * without waiting: the other members block them and acknowledge while the database commits,
     * so {@link #awaitAcknowledgements} usually finds them in hand. With a {@code record} (the
     * commit's encoded invalidation) the prepare also keeps it in Redis, to be replayed should
     * this node die before its bump, and is sent even when no other member listens. Never throws.
     *
     * @param record       the invalidation to keep, or null for none
     * @param replayMillis how long a kept record waits before a replay may bump it
     * @return the prepare as sent, or null when none was
     */
    Announcement prepare(Collection<String> tags, String record, long replayMillis) {
        prepared.remove();
        if (tags.isEmpty() || paused || (alone && record == null)) {
            return null;
        }
        long sent = System.nanoTime(); // before sending: the blocks it asks for end after sent + term
        try {
            CompletableFuture<Long> sequence = store.channel()
                    .prepareAsync(node, TimeUnit.NANOSECONDS.toMillis(termNanos), tags, record, replayMillis)
                    .toCompletableFuture();
            Prepare prepare = new Prepare(Set.copyOf(tags), sent, sequence, record);
            prepared.set(prepare);
            return prepare;
        } catch (RuntimeException e) {
            LOG.debug("Loom Cache could not announce a commit: {}", e.toString());
            return null;
        }
    }

    /**
     * This thread's transaction rolled back after {@link #prepare}: the other nodes lift its block
     * now rather than after a lease term, and its record is removed. Never throws.
     */
    void abandonPrepared() {
        Prepare prepare = prepared.get();
        if (prepare != null) {
            prepare.withdraw();
        }
    }

    /*
     * A prepare is carried by one bump at most: that bump's message lifts its block, so a later
     * bump of the same thread (the commit it announced, after an unrelated bump covering its tags
     * ran first) cannot count on the block and waits for its own acknowledgements.
     */
    @Override
    public long preparedFor(Collection<String> tags) {
        Prepare prepare = prepared.get();
        if (prepare == null) {
            return 0;
        }
        prepare.carried = !prepare.spent && prepare.tags.containsAll(tags) ? prepare.sequence() : 0;
        if (prepare.carried != 0) {
            prepare.spent = true;
        }
        return prepare.carried;
    }

    /** Test seam: a paused node neither renews nor acknowledges. */
    void pause(boolean pause) {
        paused = pause;
    }

    /**
     * Returns once every other member listed by {@code bumped} acknowledged its sequence or lost its
     * lease, and any wait a young membership asks for passed; never later than lease + drift (or
     * the acknowledgement timeout) after now. Never throws: the commit is done in Redis.
     */
    void awaitAcknowledgements(Bumped bumped) {
        long start = System.nanoTime();
        long sequence = bumped.sequence();
        long prepare = blockHeldAtBump(start);
        Set<String> pending = new HashSet<>(bumped.members());
        pending.remove(node);
        alone = pending.isEmpty(); // a member that joins later is waited for by its acknowledgement
        long notBefore = start + TimeUnit.MILLISECONDS.toNanos(bumped.waitMillis());
        long end = start + Math.min(termNanos, ackTimeoutNanos);
        long nextPoll = start + pollNanos;
        while (true) {
            pending.removeIf(member -> covered(member, sequence, prepare));
            long now = System.nanoTime();
            if (pending.isEmpty() && now - notBefore >= 0) {
                return;
            }
            if (now - end >= 0) {
                if (!pending.isEmpty() && ackTimeoutNanos < termNanos && warned.compareAndSet(false, true)) {
                    LOG.warn("Loom Cache commit returned before {} near-cache node(s) acknowledged it "
                            + "(near-cache.ack-timeout is below the lease): they may serve the old value "
                            + "until their lease ends (logged once)", pending.size());
                }
                return;
            }
            if (!pending.isEmpty() && now - nextPoll >= 0) {
                try {
                    pending.retainAll(store.channel().pendingAcknowledgements(pending, sequence));
                } catch (RuntimeException e) {
                    LOG.debug("Loom Cache could not check acknowledgements: {}", e.toString());
                }
                nextPoll = System.nanoTime() + pollNanos;
                continue;
            }
            long until = pending.isEmpty() ? notBefore : Math.min(nextPoll, end);
            if (!await(pending, sequence, prepare, Math.min(until, end) - now)) {
                return;
            }
        }
    }

    /** Waits up to {@code nanos} for an acknowledgement; false when interrupted. */
    private boolean await(Set<String> pending, long sequence, long prepare, long nanos) {
        synchronized (arrived) {
            for (String member : pending) {
                if (covered(member, sequence, prepare)) {
                    return true;
                }
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(arrived, Math.max(1, nanos));
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /**
     * The sequence of this thread's prepare that the bump just returned carried, when every block
     * it asked for still held at the bump (sent less than term - drift before {@code replyNanos},
     * which came after the bump ran); else 0. Clears this thread's prepare.
     */
    private long blockHeldAtBump(long replyNanos) {
        Prepare prepare = prepared.get();
        prepared.remove();
        if (prepare == null || prepare.carried == 0) {
            return 0;
        }
        return replyNanos - prepare.sentNanos < termNanos - driftNanos ? prepare.carried : 0;
    }

    /**
     * Whether {@code member} owes nothing more for a bump of {@code sequence}: it applied it, or
     * it applied the bump's prepare itself (no gap skipped it), whose block held at the bump.
     */
    private boolean covered(String member, long sequence, long prepare) {
        Ack ack = acked.get(member);
        return ack != null && (ack.applied() >= sequence
                || prepare > 0 && ack.applied() >= prepare && ack.from() <= prepare);
    }

    /** A member's latest acknowledgement: every message up to {@code applied}, unbroken from {@code from}. */
    private record Ack(long applied, long from) {
    }

    /** A prepare this node announced; {@code carried} is the sequence its bump's message carries. */
    private final class Prepare implements Announcement {
        private final Set<String> tags;
        private final long sentNanos;
        private final CompletableFuture<Long> sequence;
        /** The invalidation the prepare keeps in Redis, or null. */
        private final String record;
        private long carried;
        /** A bump carried it (and so lifted its block). */
        private volatile boolean spent;
        private volatile boolean withdrawn;

        Prepare(Set<String> tags, long sentNanos, CompletableFuture<Long> sequence, String record) {
            this.tags = tags;
            this.sentNanos = sentNanos;
            this.sequence = sequence;
            this.record = record;
        }

        /** The prepare's sequence, waiting briefly for Redis's reply; 0 when it failed or is late. */
        long sequence() {
            try {
                Long value = sequence.get(PREPARE_REPLY_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                return value == null ? 0 : value;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            } catch (ExecutionException | TimeoutException | CancellationException e) {
                return 0;
            }
        }

        @Override
        public CompletableFuture<String> record() {
            return record == null ? null
                    : sequence.thenApply(value -> RedisNearCacheChannel.intentMember(value, node, record));
        }

        @Override
        public boolean current() {
            return !spent && !withdrawn && System.nanoTime() - sentNanos < termNanos - driftNanos;
        }

        @Override
        public void adopt() {
            if (current()) {
                prepared.set(this);
            } else {
                prepared.remove();
            }
        }

        @Override
        public void withdraw() {
            withdrawn = true;
            if (prepared.get() == this) {
                prepared.remove();
            }
            sequence.thenAccept(value -> {
                try {
                    store.channel().liftAsync(node, value, record == null ? null
                            : RedisNearCacheChannel.intentMember(value, node, record));
                } catch (RuntimeException e) {
                    LOG.debug("Loom Cache could not lift an abandoned commit's block: {}", e.toString());
                }
            });
        }
    }

    /** Leaves the membership (writers stop waiting for this node) and stops acknowledging. */
    @Override
    public void close() {
        Integer id = listenerId;
        try {
            if (id != null) {
                acknowledgements.removeListener(id);
            }
            store.channel().leaveLease(node);
        } catch (RuntimeException e) {
            LOG.debug("Loom Cache could not leave the near-cache membership: {}", e.toString());
        }
    }
}
