package dev.tuntcp.ip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.stack.Counters;
import dev.tuntcp.stack.TimerQueue;
import dev.tuntcp.stack.VirtualClock;
import dev.tuntcp.wire.InternetChecksum;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FragmentReassemblerTest {
    private static final int SRC = TestPackets.addr(10, 13, 0, 1);
    private static final int DST = TestPackets.addr(10, 13, 0, 2);
    private static final long TIMEOUT = 30_000_000_000L;

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private VirtualClock clock;
    private TimerQueue timers;
    private Counters counters;
    private final List<ByteBuf> created = new ArrayList<>();
    private final List<ByteBuf> timeoutFirsts = new ArrayList<>();
    private FragmentReassembler reassembler;

    /** Fresh state for every example and every try (jqwik keeps one instance per property). */
    @BeforeEach
    @BeforeTry
    void reset() {
        clock = new VirtualClock();
        timers = new TimerQueue(clock);
        counters = new Counters();
        created.clear();
        timeoutFirsts.clear();
        reassembler = newReassembler(FragmentReassembler.Limits.defaults());
    }

    private FragmentReassembler newReassembler(FragmentReassembler.Limits limits) {
        FragmentReassembler r = new FragmentReassembler(timers, counters, alloc, limits);
        r.setTimeoutListener(first -> timeoutFirsts.add(first.copy(first.readerIndex(), 28)));
        return r;
    }

    /** A fragment description: offset and length in bytes of the datagram payload, and MF. */
    record Frag(int offset, int length, boolean more) {
    }

    private ByteBuf fragment(byte[] payload, int id, Frag f) {
        ByteBuf b = TestPackets.ipv4(alloc, SRC, DST, 17, id, f.more ? 1 : 0, f.offset, 64, payload, f.offset, f.length);
        created.add(b);
        return b;
    }

    private ByteBuf offer(byte[] payload, int id, Frag f) {
        ByteBuf b = fragment(payload, id, f);
        return reassembler.offer(b, 20, f.length, SRC, DST, 17, id, f.offset, f.more);
    }

    /** Splits {@code length} bytes into fragments of random 8-aligned sizes. */
    private static List<Frag> split(int length, Random random) {
        List<Frag> frags = new ArrayList<>();
        int off = 0;
        while (off < length) {
            int len = Math.min(length - off, 8 * (1 + random.nextInt(200)));
            frags.add(new Frag(off, len, off + len < length));
            off += len;
        }
        return frags;
    }

    private static byte[] payload(int length, Random random) {
        byte[] p = new byte[length];
        random.nextBytes(p);
        return p;
    }

    private void assertDatagram(byte[] payload, int id, ByteBuf out) {
        try {
            assertEquals(20 + payload.length, out.readableBytes());
            assertEquals(20 + payload.length, out.getUnsignedShort(2), "total length");
            assertEquals(id, out.getUnsignedShort(4));
            assertEquals(0, out.getUnsignedShort(6) & 0x3fff, "MF and offset cleared");
            assertEquals(0, InternetChecksum.checksum(out, 0, 20), "header checksum valid");
            byte[] got = new byte[payload.length];
            out.getBytes(20, got);
            assertArrayEquals(payload, got);
        } finally {
            out.release();
        }
    }

    @AfterEach
    @AfterTry
    void noLeaks() {
        reassembler.close();
        assertEquals(0, reassembler.memoryHeld());
        for (ByteBuf b : created) {
            assertEquals(0, b.refCnt(), "every fragment buffer released");
        }
        timeoutFirsts.forEach(ByteBuf::release);
        timeoutFirsts.clear();
        created.clear();
    }

    @Property(tries = 100)
    void anyOrderReassemblesExactly(@ForAll @IntRange(min = 1, max = 65515) int length, @ForAll long seed) {
        Random random = new Random(seed);
        byte[] payload = payload(length, random);
        List<Frag> frags = split(length, random);
        Collections.shuffle(frags, random);
        ByteBuf out = null;
        for (int i = 0; i < frags.size(); i++) {
            ByteBuf r = offer(payload, 7, frags.get(i));
            if (i < frags.size() - 1) {
                assertNull(r, "complete only with the last missing fragment");
            } else {
                out = r;
            }
        }
        assertNotNull(out);
        assertDatagram(payload, 7, out);
        assertEquals(0, reassembler.datagramsInProgress());
        assertEquals(0, reassembler.memoryHeld());
    }

    @Property(tries = 100)
    void exactDuplicatesAreDroppedAlone(@ForAll @IntRange(min = 9, max = 20000) int length, @ForAll long seed) {
        Random random = new Random(seed);
        byte[] payload = payload(length, random);
        List<Frag> frags = split(length, random);
        List<Frag> arrivals = new ArrayList<>(frags);
        int dups = 1 + random.nextInt(frags.size());
        for (int i = 0; i < dups; i++) {
            arrivals.add(frags.get(random.nextInt(frags.size())));
        }
        Collections.shuffle(arrivals, random);
        List<Frag> seen = new ArrayList<>();
        ByteBuf out = null;
        long expectedDuplicates = 0;
        for (Frag f : arrivals) {
            if (out != null) {
                break; // what arrives after completion starts a new datagram; not this property's concern
            }
            if (seen.contains(f)) {
                expectedDuplicates++;
            } else {
                seen.add(f);
            }
            out = offer(payload, 9, f);
        }
        assertNotNull(out);
        assertDatagram(payload, 9, out);
        assertEquals(expectedDuplicates, counters.get(ReassemblyDrop.DUPLICATE));
    }

    @Property(tries = 100)
    void anyOverlapDiscardsTheWholeDatagram(@ForAll @IntRange(min = 64, max = 20000) int length, @ForAll long seed) {
        Random random = new Random(seed);
        byte[] payload = payload(length, random);
        List<Frag> frags = split(length, random);
        // A rogue fragment overlapping real data without matching any real fragment exactly.
        Frag rogue;
        do {
            int off = 8 * random.nextInt(length / 8);
            int len = 8 * (1 + random.nextInt(16));
            len = Math.min(len, length - off);
            rogue = new Frag(off, len, true);
        } while (frags.contains(rogue) || rogue.length == 0 || (rogue.length & 7) != 0);
        List<Frag> arrivals = new ArrayList<>(frags);
        // Deliver the rogue before the last real fragment so the datagram cannot complete first.
        Collections.shuffle(arrivals, random);
        arrivals.add(random.nextInt(arrivals.size()), rogue);
        for (Frag f : arrivals) {
            assertNull(offer(payload, 11, f), "an overlapped datagram never completes");
        }
        assertEquals(1, counters.get(ReassemblyDrop.OVERLAP));
        assertEquals(0, reassembler.memoryHeld(), "a discarded datagram holds no memory");
        clock.advance(TIMEOUT);
        timers.runExpired();
        assertEquals(0, reassembler.datagramsInProgress());
        assertEquals(0, counters.get(ReassemblyDrop.TIMEOUT), "a discarded datagram is not also a timeout");
    }

    @Test
    void incompleteDatagramTimesOutAndReportsFragmentZero() {
        byte[] payload = payload(4000, new Random(1));
        assertNull(offer(payload, 21, new Frag(0, 1480, true)));
        assertNull(offer(payload, 21, new Frag(2960, 1040, false)));
        clock.advance(TIMEOUT - 1);
        timers.runExpired();
        assertEquals(1, reassembler.datagramsInProgress());
        clock.advance(1);
        timers.runExpired();
        assertEquals(0, reassembler.datagramsInProgress());
        assertEquals(1, counters.get(ReassemblyDrop.TIMEOUT));
        assertEquals(1, timeoutFirsts.size());
        assertEquals(21, timeoutFirsts.get(0).getUnsignedShort(4), "fragment zero's header handed over");
    }

    @Test
    void timeoutWithoutFragmentZeroSendsNothing() {
        byte[] payload = payload(4000, new Random(2));
        assertNull(offer(payload, 22, new Frag(1480, 1480, true)));
        clock.advance(TIMEOUT);
        timers.runExpired();
        assertEquals(1, counters.get(ReassemblyDrop.TIMEOUT));
        assertTrue(timeoutFirsts.isEmpty());
    }

    @Test
    void fragmentsOfADiscardedDatagramAreDroppedUntilItsTimeout() {
        byte[] payload = payload(4000, new Random(3));
        assertNull(offer(payload, 23, new Frag(0, 1480, true)));
        assertNull(offer(payload, 23, new Frag(8, 1480, true)));
        assertNull(offer(payload, 23, new Frag(1480, 1480, true)));
        assertNull(offer(payload, 23, new Frag(2960, 1040, false)));
        assertEquals(1, counters.get(ReassemblyDrop.OVERLAP));
        assertEquals(2, counters.get(ReassemblyDrop.AFTER_DISCARD));
    }

    @Test
    void pingOfDeathIsRefused() {
        byte[] payload = new byte[65535];
        assertNull(offer(payload, 24, new Frag(65512, 16, false)));
        assertEquals(1, counters.get(ReassemblyDrop.TOO_LARGE));
        assertEquals(0, reassembler.datagramsInProgress());
    }

    @Test
    void inconsistentEndsDiscard() {
        byte[] payload = payload(4000, new Random(4));
        assertNull(offer(payload, 25, new Frag(1480, 1480, false)));
        assertNull(offer(payload, 25, new Frag(2960, 1040, false)));
        assertEquals(1, counters.get(ReassemblyDrop.INCONSISTENT_LENGTH));
        assertNull(offer(payload, 26, new Frag(0, 1480, true)));
        assertNull(offer(payload, 26, new Frag(2960, 1040, true)));
        assertNull(offer(payload, 26, new Frag(1480, 1480, false)));
        assertEquals(2, counters.get(ReassemblyDrop.INCONSISTENT_LENGTH), "data beyond the end");
    }

    @Test
    void misalignedNonFinalFragmentsAreDropped() {
        byte[] payload = payload(4000, new Random(5));
        assertNull(offer(payload, 27, new Frag(0, 1001, true)));
        assertEquals(1, counters.get(ReassemblyDrop.MISALIGNED));
        assertEquals(0, reassembler.datagramsInProgress());
    }

    @Property(tries = 40)
    void memoryStaysBoundedAndOldestIsEvicted(@ForAll @IntRange(min = 1, max = 120) int datagrams,
                                              @ForAll long seed) {
        reassembler = newReassembler(new FragmentReassembler.Limits(TIMEOUT, 64 * 1024, 1024, 64));
        Random random = new Random(seed);
        byte[] payload = payload(8000, random);
        for (int id = 0; id < datagrams; id++) {
            // Only the first half of each datagram arrives, so none completes.
            List<Frag> frags = split(4000, random);
            for (Frag f : frags) {
                assertNull(offer(payload, id, new Frag(f.offset, f.length, true)));
                assertTrue(reassembler.memoryHeld() <= 64 * 1024, "memory bound holds");
            }
        }
        // The newest datagram still completes: eviction removed stale ones, not new ones.
        int last = datagrams - 1;
        ByteBuf out = offer(payload, last, new Frag(4000, 4000, false));
        assertNotNull(out);
        assertDatagram(payload, last, out);
    }

    @Test
    void datagramCountIsBounded() {
        reassembler = newReassembler(new FragmentReassembler.Limits(TIMEOUT, 1 << 24, 4, 64));
        byte[] payload = payload(100, new Random(6));
        for (int id = 0; id < 10; id++) {
            assertNull(offer(payload, id, new Frag(0, 48, true)));
            assertTrue(reassembler.datagramsInProgress() <= 4);
        }
        assertEquals(6, counters.get(ReassemblyDrop.MEMORY_LIMIT));
    }
}
