package io.loom.cache.testing;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for something a test can observe, and fails the test with the given message when it does
 * not happen in time: no wait here ends silently at its deadline. Failures are
 * {@link AssertionError}s, so a wait on a thread the code under test runs is not mistaken for a
 * failure the code should tolerate (which a {@link RuntimeException} could be).
 */
public final class Await {

    /** How long a wait lasts unless the test says otherwise: far above any healthy wait. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    private Await() {
    }

    /** Polls {@code condition} until it holds, for at most {@link #DEFAULT_TIMEOUT}. */
    public static void until(BooleanSupplier condition, String failure) {
        until(condition, DEFAULT_TIMEOUT, failure);
    }

    /**
     * Polls {@code condition} until it holds.
     *
     * @throws AssertionError naming {@code failure} when it still does not hold after {@code timeout}
     */
    public static void until(BooleanSupplier condition, Duration timeout, String failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(failure + " (waited " + timeout.toMillis() + " ms)");
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** Waits until {@code thread} is blocked waiting (e.g. on a lock or a future), or has ended. */
    public static void waitingOrDone(Thread thread, String failure) {
        until(() -> !thread.isAlive() || thread.getState() == Thread.State.WAITING, failure);
    }

    /**
     * Waits for {@code latch} to open, for at most {@link #DEFAULT_TIMEOUT}.
     *
     * @throws AssertionError naming {@code what} when it does not, or when the thread is interrupted
     */
    public static void released(CountDownLatch latch, String what) {
        try {
            if (!latch.await(DEFAULT_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new AssertionError(what + " (waited " + DEFAULT_TIMEOUT.toMillis() + " ms)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting: " + what, e);
        }
    }

    /**
     * Waits for {@code thread} to end, for at most {@link #DEFAULT_TIMEOUT}.
     *
     * @throws AssertionError when it is still running then, or when this thread is interrupted
     */
    public static void joined(Thread thread) {
        try {
            thread.join(DEFAULT_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for thread " + thread.getName(), e);
        }
        if (thread.isAlive()) {
            throw new AssertionError("thread " + thread.getName() + " did not end within "
                    + DEFAULT_TIMEOUT.toMillis() + " ms (state " + thread.getState() + ")");
        }
    }
}
