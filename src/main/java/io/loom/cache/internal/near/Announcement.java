package io.loom.cache.internal.near;

import java.util.concurrent.CompletableFuture;

/**
 * One commit's prepare as sent ({@link NearCache#prepare}), for a writer that announces a commit
 * before it knows it will go through with it: it may count on the prepare at its bump
 * ({@link #adopt}) or withdraw it.
 */
public interface Announcement {

    /** The record's member of the intents set once Redis holds it, or null when no record was sent. */
    CompletableFuture<String> record();

    /**
     * Whether this thread's next bump may still carry it: no bump carried it yet, it was not
     * withdrawn, and it was sent less than lease - drift ago (a block it asked for may hold at the bump).
     */
    boolean current();

    /** Makes it the prepare this thread's next bump carries when still {@link #current()}; else none. */
    void adopt();

    /** Its transaction will not commit what it announced: the other nodes lift its block now and its record is removed. Never throws. */
    void withdraw();
}
