package io.loom.cache;

import io.loom.cache.internal.commit.PreparedCommitReplay;

/**
 * What {@link LoomCache#prepare(io.loom.cache.invalidation.Invalidation, java.time.Duration)}
 * announced for one commit. When {@link #recorded()}, Redis holds the commit's invalidation
 * durably enough that, should this node die before its bump, another node bumps it: the caller
 * needs no outbox row for it. Call {@link #delivered()} once the commit's bump was delivered.
 */
public final class PreparedCommit {

    /** Nothing was recorded (no leased near cache, Redis failing or late, replicas asked). */
    static final PreparedCommit NONE = new PreparedCommit(null, null);

    private final String member;
    private final PreparedCommitReplay replay;

    PreparedCommit(String member, PreparedCommitReplay replay) {
        this.member = member;
        this.replay = replay;
    }

    /** Whether Redis holds this commit's invalidation until {@link #delivered()}. */
    public boolean recorded() {
        return member != null;
    }

    /** The commit's bump was delivered: its record is removed (batched). Never throws. */
    public void delivered() {
        if (member != null) {
            replay.delivered(member);
        }
    }
}
