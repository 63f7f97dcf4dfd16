package io.loom.cache.internal.cluster;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class StripeClocksTest {

    @Test
    void snapshot_holdsTheReadingsTakenBeforeIt_notLaterOnes() {
        StripeClocks clocks = new StripeClocks();
        clocks.observe(3, 100);
        clocks.observe(3, 90); // an older reading arriving late never lowers the table
        long id = clocks.snapshot();
        clocks.observe(3, 200);
        long[] snapshot = clocks.snapshot(id);
        assertEquals(100, snapshot[3]);
        assertEquals(0, snapshot[4], "a stripe never read proves nothing");
        assertEquals(200, clocks.snapshot(clocks.snapshot())[3]);
    }

    @Test
    void snapshot_unknownOrOverwritten_isNull() {
        StripeClocks clocks = new StripeClocks();
        assertNull(clocks.snapshot(0));
        assertNull(clocks.snapshot(1), "not taken yet");
        long first = clocks.snapshot();
        for (int i = 1; i < StripeClocks.KEPT_SNAPSHOTS; i++) {
            clocks.snapshot();
        }
        assertNotNull(clocks.snapshot(first), "still in the ring");
        clocks.snapshot();
        assertNull(clocks.snapshot(first), "overwritten: the store is refused");
    }
}
