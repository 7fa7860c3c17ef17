package dev.tuntcp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** RFC 9293 §3.4 sequence arithmetic modulo 2^32, with emphasis on the wrap-around. */
class SeqNumProperties {
    /** Any sequence number, biased to the edges of the 32-bit space where wrap bugs live. */
    @Provide
    Arbitrary<Integer> seq() {
        return Arbitraries.oneOf(Arbitraries.integers(),
                Arbitraries.integers().between(-70_000, 70_000),
                Arbitraries.integers().between(Integer.MAX_VALUE - 70_000, Integer.MAX_VALUE),
                Arbitraries.integers().between(Integer.MIN_VALUE, Integer.MIN_VALUE + 70_000));
    }

    /** A forward distance the comparisons are defined for: 1 .. 2^31 - 1. */
    @Provide
    Arbitrary<Integer> distance() {
        return Arbitraries.oneOf(Arbitraries.integers().between(1, Integer.MAX_VALUE),
                Arbitraries.integers().between(1, 70_000));
    }

    @Property
    void aNumberAheadIsGreaterAcrossTheWrap(@ForAll("seq") int a, @ForAll("distance") int d) {
        int b = a + d; // wraps modulo 2^32
        assertTrue(SeqNum.lt(a, b));
        assertTrue(SeqNum.le(a, b));
        assertTrue(SeqNum.gt(b, a));
        assertTrue(SeqNum.ge(b, a));
        assertFalse(SeqNum.lt(b, a));
        assertFalse(SeqNum.ge(a, b));
        assertEquals(b, SeqNum.max(a, b));
        assertEquals(b, SeqNum.max(b, a));
        assertEquals(a, SeqNum.min(a, b));
        assertEquals(a, SeqNum.min(b, a));
        assertEquals(d, SeqNum.distance(a, b));
        assertEquals((1L << 32) - d, SeqNum.distance(b, a));
    }

    @Property
    void comparisonsAreConsistent(@ForAll("seq") int a, @ForAll("seq") int b) {
        assertEquals(SeqNum.lt(a, b), SeqNum.gt(b, a));
        assertEquals(SeqNum.le(a, b), SeqNum.ge(b, a));
        assertEquals(SeqNum.le(a, b), SeqNum.lt(a, b) || a == b);
        assertFalse(SeqNum.lt(a, a));
        assertTrue(SeqNum.le(a, a));
        if (a != b && a - b != Integer.MIN_VALUE) { // exactly 2^31 apart is undefined (RFC 9293 §3.4)
            assertTrue(SeqNum.lt(a, b) ^ SeqNum.lt(b, a));
        }
    }

    @Property
    void distanceIsAdditionModulo2To32(@ForAll("seq") int a, @ForAll int x) {
        assertEquals(Integer.toUnsignedLong(x), SeqNum.distance(a, a + x));
        assertEquals(0, SeqNum.distance(a, a));
    }

    @Property
    void windowMembershipAcrossTheWrap(@ForAll("seq") int start, @ForAll("distance") int length,
                                       @ForAll("seq") int offset) {
        int x = start + offset;
        boolean inside = Integer.toUnsignedLong(offset) < length;
        assertEquals(inside, SeqNum.inWindow(x, start, length));
        assertTrue(SeqNum.inWindow(start, start, length));
        assertTrue(SeqNum.inWindow(start + length - 1, start, length));
        assertFalse(SeqNum.inWindow(start + length, start, length));
        assertFalse(SeqNum.inWindow(start - 1, start, length));
    }

    @Property
    void emptyWindowHoldsNothing(@ForAll("seq") int start, @ForAll("seq") int x) {
        assertFalse(SeqNum.inWindow(x, start, 0));
    }

    @Test
    void concreteWrapExamples() {
        assertTrue(SeqNum.lt(0xffffffff, 0));
        assertTrue(SeqNum.lt(0xfffffff0, 0x10));
        assertEquals(0x20, SeqNum.distance(0xfffffff0, 0x10));
        assertEquals("4294967295", SeqNum.toString(-1));
        assertTrue(SeqNum.inWindow(0x5, 0xfffffff0, 0x100));
    }
}
