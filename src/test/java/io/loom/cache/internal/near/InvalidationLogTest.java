package io.loom.cache.internal.near;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InvalidationLogTest {

    private static final long MAX_LAG = 200_000_000L;
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final InvalidationLog log = new InvalidationLog(MAX_LAG, now::get);

    /** Whether the log vouches for a value stamped with {@code tags} and confirmed at {@code confirmed}. */
    private boolean current(List<String> tags, long confirmed) {
        return log.verdict(tags, confirmed) == InvalidationLog.Verdict.CURRENT;
    }

    /** Baseline as the stream sets it: reset at the first heartbeat, which returned at once. */
    private void baseline() {
        log.reset();
        log.heartbeatReturned(now.get());
    }

    @Test
    void nothingIsTrustedBeforeTheFirstHeartbeatReturns() {
        long confirmed = log.position();
        assertFalse(current(List.of("r:book:1"), confirmed));
        log.reset();
        assertFalse(current(List.of("r:book:1"), log.position()), "reset alone does not make the log live");
    }

    @Test
    void valueConfirmedAfterBaseline_isCurrentUntilOneOfItsTagsMoves() {
        baseline();
        long confirmed = log.position();
        assertTrue(current(List.of("e:book", "r:book:1"), confirmed));
        log.invalidate(List.of("r:book:2"));
        assertTrue(current(List.of("e:book", "r:book:1"), confirmed), "another row's tag moved");
        log.invalidate(List.of("r:book:1"));
        assertFalse(current(List.of("e:book", "r:book:1"), confirmed));
    }

    @Test
    void sinceOwnBumps_isTheOwnBumpsClock_whileNoTagOfTheValueMovedAfterIt() {
        baseline();
        List<String> row1 = List.of("e:book", "r:book:1");
        assertEquals(0, log.sinceOwnBumps(row1), "no own bump yet");
        log.invalidateOwn(List.of("r:book:1"), 1_000, 11);
        assertEquals(1_000, log.sinceOwnBumps(row1));
        log.invalidateOwn(List.of("r:book:2"), 2_000, 12);
        assertEquals(2_000, log.sinceOwnBumps(row1), "the latest own clock serves every value its bumps made stale");
        assertEquals(0, log.sinceOwnBumps(List.of("e:book", "r:book:3")), "no tag of it was moved by this node");
        long keptAfterOwnBump = log.position();
        log.invalidatePushed(12, List.of("r:book:2"));
        assertEquals(2_000, log.sinceOwnBumps(List.of("e:book", "r:book:2")), "the own bump's message came back");
        assertTrue(current(List.of("e:book", "r:book:2"), keptAfterOwnBump),
                "the echo of an own bump drops no value kept after that bump");
        assertEquals(2_000, log.sinceOwnBumps(row1));
        log.invalidatePushed(20, List.of("r:book:1"));
        assertEquals(0, log.sinceOwnBumps(row1), "another node's move of its tag came after the own bump");
        assertEquals(2_000, log.sinceOwnBumps(List.of("e:book", "r:book:2")));
    }

    @Test
    void sinceOwnBumps_isZero_afterAnotherMessageRecordedLater_aBlockOrAReset() {
        baseline();
        List<String> row1 = List.of("e:book", "r:book:1");
        log.invalidateOwn(List.of("r:book:1"), 1_000, 11);
        log.invalidate(List.of("r:book:2"));
        assertEquals(0, log.sinceOwnBumps(List.of("r:book:1", "r:book:2")),
                "a tag of the value was recorded after the latest own bump");
        log.invalidateOwn(List.of("r:book:1"), 3_000, 13);
        log.block(7, List.of("e:book"), 1_000_000_000L);
        assertEquals(0, log.sinceOwnBumps(row1), "another node is committing a tag of it");
        log.lift(7);
        log.invalidateOwn(List.of("r:book:1"), 4_000, 14);
        assertEquals(4_000, log.sinceOwnBumps(row1));
        log.reset();
        assertEquals(0, log.sinceOwnBumps(row1), "a reset forgets the own bumps with everything else");
        log.invalidateOwn(List.of("r:book:1"), 0, 15);
        assertEquals(0, log.sinceOwnBumps(row1), "a bump whose reply carried no clock");
    }

    @Test
    void movedTag_isStaleEvenWhenTheLinkIsNotLive_otherwiseUnknownUntilLive() {
        long confirmed = log.position();
        assertTrue(log.verdict(List.of("r:book:1"), confirmed) == InvalidationLog.Verdict.UNKNOWN);
        log.invalidate(List.of("r:book:1"));
        assertTrue(log.verdict(List.of("r:book:1"), confirmed) == InvalidationLog.Verdict.STALE);
        baseline();
        assertTrue(log.verdict(List.of("r:book:2"), log.position()) == InvalidationLog.Verdict.CURRENT);
    }

    @Test
    void invalidationRecordedBeforeTheConfirmingRead_doesNotCountAgainstIt() {
        baseline();
        log.invalidate(List.of("r:book:1"));
        long confirmedAfter = log.position();
        assertTrue(current(List.of("r:book:1"), confirmedAfter));
    }

    @Test
    void valuesConfirmedBeforeTheBaselineOrAReset_areNotTrusted() {
        long beforeBaseline = log.position();
        baseline();
        assertFalse(current(List.of("r:book:1"), beforeBaseline));
        long confirmed = log.position();
        log.reset();
        assertFalse(current(List.of("r:book:1"), confirmed), "a reset (missed message) drops everything");
        assertTrue(current(List.of("r:book:1"), log.position()));
    }

    @Test
    void silentLinkLongerThanMaxLag_stopsServingWithoutRoundTrip() {
        baseline();
        long confirmed = log.position();
        now.addAndGet(MAX_LAG);
        assertTrue(current(List.of("r:book:1"), confirmed));
        now.addAndGet(1);
        assertFalse(log.live());
        assertFalse(current(List.of("r:book:1"), confirmed));
        log.heartbeatReturned(now.get());
        assertTrue(current(List.of("r:book:1"), confirmed), "a heartbeat in sequence makes it live again");
    }

    @Test
    void tooManyRememberedTags_resetInsteadOfGrowing() {
        baseline();
        long confirmed = log.position();
        for (int i = 0; i <= InvalidationLog.MAX_TAGS; i++) {
            log.invalidate(List.of("r:other:" + i));
        }
        assertFalse(current(List.of("r:book:1"), confirmed), "forgetting tags must also forget what they vouched for");
    }

    @Test
    void blockedTag_isNeverServedLocally_untilLifted_andWhatWasKeptDuringTheBlockIsStaleAfter() {
        baseline();
        long before = log.position();
        log.block(7, List.of("r:book:1"), 1_000_000_000L);
        assertSame(InvalidationLog.Verdict.STALE, log.verdict(List.of("r:book:1"), before),
                "a value kept before the prepare is dropped");
        long during = log.position(); // a value validated by round trip while the block holds
        assertSame(InvalidationLog.Verdict.UNKNOWN, log.verdict(List.of("r:book:1"), during));
        assertTrue(current(List.of("r:book:2"), during), "other tags are not blocked");
        log.lift(7);
        assertEquals(0, log.blocks());
        assertSame(InvalidationLog.Verdict.STALE, log.verdict(List.of("r:book:1"), during),
                "lifting records the tags above everything kept while it held");
        assertTrue(current(List.of("r:book:1"), log.position()), "a value proven after the lift is served");
    }

    @Test
    void blockEndsOnItsOwnClock_asALiftWould() {
        baseline();
        log.block(7, List.of("r:book:1"), 100_000_000L);
        long during = log.position();
        now.addAndGet(99_000_000L);
        assertSame(InvalidationLog.Verdict.UNKNOWN, log.verdict(List.of("r:book:1"), during));
        log.heartbeatReturned(now.get());
        now.addAndGet(2_000_000L);
        assertSame(InvalidationLog.Verdict.STALE, log.verdict(List.of("r:book:1"), during));
        assertEquals(0, log.blocks());
    }

    @Test
    void twoPreparesOfOneTag_liftingOneKeepsTheOther_andResetsKeepBlocks() {
        baseline();
        log.block(7, List.of("r:book:1"), 1_000_000_000L);
        log.block(8, List.of("r:book:1"), 1_000_000_000L);
        log.lift(7);
        log.reset();
        log.heartbeatReturned(now.get());
        assertSame(InvalidationLog.Verdict.UNKNOWN, log.verdict(List.of("r:book:1"), log.position()),
                "prepare 8 still blocks the tag, also after a reset");
        log.lift(8);
        assertTrue(current(List.of("r:book:1"), log.position()));
    }
}
