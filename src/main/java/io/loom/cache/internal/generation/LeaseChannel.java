package io.loom.cache.internal.generation;

import java.time.Duration;

/**
 * An {@link InvalidationChannel} that also keeps a leased near cache's membership: every bump
 * returns the members whose lease is live, for the writer to await their acknowledgements. On one
 * server the store's own scripts; on Redis Cluster the channel's slot holds the membership, the
 * acknowledgements and the sequence, so every lease step is one script in that slot, in order with
 * the bumps' messages.
 */
public interface LeaseChannel extends InvalidationChannel {

    /**
     * Makes every later bump return the live members and how long a young membership still asks
     * writers to wait ({@link Bumped}).
     *
     * @param termMillis lease + drift margin
     * @param node       this node's lease id: its bumps' messages carry it, so it need not
     *                   acknowledge them (it dropped its own values before its commit returned)
     * @param prepared   which prepare of the bumping thread a bump completes (its message says so)
     */
    void enableLeases(long termMillis, String node, PreparedCommits prepared);

    /** The most a commit waits for its bump (bump.timeout, else the command timeout). */
    Duration bumpBudget();

    /** The membership, acknowledgements and heartbeats of this channel. */
    RedisNearCacheChannel channel();
}
