package io.loom.cache.internal.generation;

import org.redisson.api.RTopic;

import java.util.function.Consumer;

/**
 * The pub/sub side of a Redis generation store that a pushed near cache listens to: every bump's
 * dependency tags, numbered in one sequence, and heartbeats in order with them. On one server a
 * classic channel; on Redis Cluster a sharded channel ({@code SPUBLISH}) in one slot.
 */
public interface InvalidationChannel {

    /** The channel's name. */
    String invalidationChannel();

    /** A topic of raw messages on {@link #invalidationChannel()}. */
    RTopic invalidationTopic();

    /**
     * Runs {@code listener} with every bump this store delivered, after Redis applied it and
     * before {@link GenerationStore#bump} returns.
     */
    void addBumpListener(Consumer<Bumped> listener);

    /**
     * Publishes {@code {"hb", node, sequence, token}} on the channel in order with every bump's
     * message.
     *
     * @return the invalidation sequence at the heartbeat
     */
    long heartbeat(String node, String token);
}
