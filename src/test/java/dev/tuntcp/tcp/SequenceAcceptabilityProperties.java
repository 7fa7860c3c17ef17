package dev.tuntcp.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The §3.10.7.4 acceptability test agrees with the table computed in unbounded integers, across the wrap. */
class SequenceAcceptabilityProperties {

    @Property(tries = 2000)
    void matchesTheTableOfFourCases(@ForAll int rcvNxt,
                                    @ForAll @IntRange(min = -70000, max = 140000) int offset,
                                    @ForAll @IntRange(min = 0, max = 70000) int segLen,
                                    @ForAll @IntRange(min = 0, max = 65535) int rcvWnd) {
        int segSeq = rcvNxt + offset;
        // the same test on the offsets from RCV.NXT, where no wrap-around can happen
        long first = offset;
        long last = (long) offset + segLen - 1;
        boolean inWindowFirst = 0 <= first && first < rcvWnd;
        boolean inWindowLast = 0 <= last && last < rcvWnd;
        boolean expected;
        if (segLen == 0) {
            expected = rcvWnd == 0 ? first == 0 : inWindowFirst;
        } else {
            expected = rcvWnd != 0 && (inWindowFirst || inWindowLast);
        }
        assertEquals(expected, SynchronizedArrival.acceptable(segSeq, segLen, rcvNxt, rcvWnd));
    }
}
