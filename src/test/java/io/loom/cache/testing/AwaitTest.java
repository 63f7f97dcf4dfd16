package io.loom.cache.testing;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AwaitTest {

    @Test
    void until_conditionThatNeverHolds_failsWithTheMessage() {
        AssertionError failure = assertThrows(AssertionError.class,
                () -> Await.until(() -> false, Duration.ofMillis(50), "the flag never rose"));
        assertTrue(failure.getMessage().startsWith("the flag never rose"), failure.getMessage());
    }

    @Test
    void until_returnsOnceTheConditionHolds() {
        AtomicInteger polls = new AtomicInteger();
        Await.until(() -> polls.incrementAndGet() == 3, "three polls");
        assertEquals(3, polls.get());
    }

    @Test
    void waitingOrDone_returnsForAThreadWaitingOnALatch_andJoinedOnceItEnds() {
        CountDownLatch open = new CountDownLatch(1);
        Thread waiting = new Thread(() -> {
            try {
                open.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "waiting");
        waiting.start();
        Await.waitingOrDone(waiting, "the thread never waited");
        assertEquals(Thread.State.WAITING, waiting.getState());
        open.countDown();
        Await.joined(waiting);
        assertFalse(waiting.isAlive());
    }
}
