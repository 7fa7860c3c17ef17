package dev.tuntcp.stack;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class BusyPollTest {

    @Test
    void offNeverKeepsPolling() {
        BusyPoll off = new BusyPoll(0);
        assertFalse(off.keepPolling(5, 1000));
        assertFalse(off.keepPolling(0, 1001));
    }

    @Test
    void idleFromTheStartSleepsAtOnce() {
        assertFalse(new BusyPoll(50_000).keepPolling(0, 123), "no work seen yet: nothing to spin for");
    }

    @Test
    void workOpensAWindowThatClosesAfterItsLength() {
        BusyPoll poll = new BusyPoll(50_000);
        assertTrue(poll.keepPolling(1, 1_000_000));
        assertTrue(poll.keepPolling(0, 1_000_001));
        assertTrue(poll.keepPolling(0, 1_049_999));
        assertFalse(poll.keepPolling(0, 1_050_000), "the window is over");
        assertFalse(poll.keepPolling(0, 1_000_002), "and stays closed until the next work, even if time looked back");
    }

    @Test
    void workDuringTheWindowExtendsIt() {
        BusyPoll poll = new BusyPoll(50_000);
        assertTrue(poll.keepPolling(1, 0));
        assertTrue(poll.keepPolling(3, 40_000));
        assertTrue(poll.keepPolling(0, 80_000));
        assertFalse(poll.keepPolling(0, 90_000));
    }

    @Test
    void aNegativeWindowIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BusyPoll(-1));
    }

    /** System.nanoTime may be negative or wrap around; the window is measured by difference. */
    @Property
    void theWindowHoldsAcrossAnyStartIncludingTheWrap(@ForAll long start, @ForAll @LongRange(min = 1, max = 10_000_000) long window) {
        BusyPoll poll = new BusyPoll(window);
        assertTrue(poll.keepPolling(1, start));
        assertTrue(poll.keepPolling(0, start + window - 1));
        assertFalse(poll.keepPolling(0, start + window));
    }
}
