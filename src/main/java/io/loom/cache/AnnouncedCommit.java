package io.loom.cache;

import io.loom.cache.internal.commit.PreparedCommitReplay;
import io.loom.cache.internal.near.Announcement;
import io.loom.cache.invalidation.Invalidation;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A commit announced by {@link LoomCache#announce} while its transaction still runs statements,
 * so that the announcement's round trip overlaps the database's. Before the database commits, the
 * writer {@link #complete()}s it when it {@link #announces} exactly what the commit will publish,
 * and {@link #withdraw()}s it otherwise (then it announces again). Used by one thread.
 */
public final class AnnouncedCommit {

    /** Nothing was sent (not the leased near cache, nothing to announce, Redis failing). */
    static final AnnouncedCommit NONE = new AnnouncedCommit(null, null, null, Duration.ZERO);

    private final Invalidation invalidation;
    private final Announcement announcement;
    private final PreparedCommitReplay replay;
    private final Duration recordBudget;

    AnnouncedCommit(Invalidation invalidation, Announcement announcement, PreparedCommitReplay replay,
                    Duration recordBudget) {
        this.invalidation = invalidation;
        this.announcement = announcement;
        this.replay = replay;
        this.recordBudget = recordBudget;
    }

    /**
     * Whether this announces exactly {@code invalidation} and the commit's bump may still count on
     * it (no bump carried it, not withdrawn, sent less than a lease term ago).
     */
    public boolean announces(Invalidation invalidation) {
        return announcement != null && announcement.current() && this.invalidation.equals(invalidation);
    }

    /**
     * Makes this the announcement of the thread's next commit and waits, at most the bump budget,
     * for Redis to record its invalidation. Call it before the database commits. Never throws.
     *
     * @return whether the invalidation was recorded; {@link PreparedCommit#delivered()} once published
     */
    public PreparedCommit complete() {
        if (announcement == null) {
            return PreparedCommit.NONE;
        }
        announcement.adopt();
        CompletableFuture<String> member = announcement.record();
        if (member == null) {
            return PreparedCommit.NONE;
        }
        try {
            return new PreparedCommit(member.get(recordBudget.toNanos(), TimeUnit.NANOSECONDS), replay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return PreparedCommit.NONE;
        } catch (ExecutionException | TimeoutException | CancellationException e) {
            return PreparedCommit.NONE;
        }
    }

    /** The transaction will not commit what this announced: the other nodes stop holding its tags back now. Never throws. */
    public void withdraw() {
        if (announcement != null) {
            announcement.withdraw();
        }
    }
}
