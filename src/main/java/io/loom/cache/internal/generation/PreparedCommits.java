package io.loom.cache.internal.generation;

import java.util.Collection;

/**
 * The prepare (announce.lua) the calling thread announced for the commit it is now bumping, asked
 * by the store as it builds the bump's message: the message carries the prepare's sequence, so
 * the nodes that applied the prepare lift its block once they applied the bump.
 */
@FunctionalInterface
public interface PreparedCommits {

    /** No prepares: every bump's message carries 0. */
    PreparedCommits NONE = tags -> 0;

    /**
     * The sequence of this thread's prepare when it announced every one of {@code tags}, else 0.
     * Called once per bump, just before the script that publishes its last message is sent.
     */
    long preparedFor(Collection<String> tags);
}
