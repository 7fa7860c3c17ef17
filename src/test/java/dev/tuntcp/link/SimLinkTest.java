package dev.tuntcp.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.stack.EventLoop;
import dev.tuntcp.stack.VirtualClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

class SimLinkTest {
    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;
    private static final int PACKET = 64;

    /** What a receiver saw: arrival time, packet number, whether any byte differs from what was sent. */
    record Arrival(long time, int number, int flippedBits) {
    }

    /** Byte {@code i} of packet {@code number}: the number four times, then a pattern. */
    private static int expectedByte(int number, int i) {
        return i < 16 ? (number >>> (8 * (3 - (i & 3)))) & 0xff : (number * 31 + i) & 0xff;
    }

    /**
     * Packet {@code number}, in a heap buffer outside the leak detector (thousands per test would be
     * slow under PARANOID); tests check release through {@code refCnt} instead. Copies the link makes
     * (dup, corrupt) come from the buffer's allocator and are leak-tracked.
     */
    private static ByteBuf packet(int number) {
        byte[] bytes = new byte[PACKET];
        for (int i = 0; i < PACKET; i++) {
            bytes[i] = (byte) expectedByte(number, i);
        }
        return Unpooled.wrappedBuffer(bytes);
    }

    /** Decodes a packet into an arrival, releasing it. One flipped bit cannot hide the number. */
    private static Arrival decode(long now, ByteBuf b) {
        try {
            int c0 = b.getInt(0);
            int c1 = b.getInt(4);
            int c2 = b.getInt(8);
            int number = c0 == c1 || c0 == c2 ? c0 : c1;
            return new Arrival(now, number, flipped(b, number));
        } finally {
            b.release();
        }
    }

    private static int flipped(ByteBuf b, int number) {
        int bits = 0;
        for (int i = 0; i < PACKET; i++) {
            bits += Integer.bitCount((b.getByte(i) ^ expectedByte(number, i)) & 0xff);
        }
        return bits;
    }

    /** Sends {@code count} packets a→b, one every microsecond, and records what b received. */
    private static List<Arrival> run(Impairment impairment, int count, boolean reverseTraffic) {
        VirtualClock clock = new VirtualClock();
        EventLoop loop = EventLoop.manual(clock);
        List<Arrival> arrivals = new ArrayList<>();
        try (SimLink link = SimLink.create(loop.timers(), 1500, impairment)) {
            link.b().setReceiver(p -> arrivals.add(decode(clock.nanos(), p)));
            link.a().setReceiver(ByteBuf::release);
            for (int i = 0; i < count; i++) {
                link.a().send(packet(i));
                if (reverseTraffic) {
                    link.b().send(packet(i));
                }
                loop.advanceBy(1_000);
            }
            loop.advanceBy(10_000_000_000L);
            assertEquals(0, link.aToB().inFlight());
        }
        return arrivals;
    }

    @Test
    void perfectLinkDeliversInOrderAfterTheSendReturns() {
        VirtualClock clock = new VirtualClock();
        EventLoop loop = EventLoop.manual(clock);
        try (SimLink link = SimLink.create(loop.timers(), 1500)) {
            List<Integer> got = new ArrayList<>();
            link.b().setReceiver(p -> {
                got.add(p.getInt(0));
                p.release();
            });
            for (int i = 0; i < 100; i++) {
                link.a().send(packet(i));
            }
            assertTrue(got.isEmpty(), "never delivered inside send()");
            loop.runUntilIdle();
            assertEquals(100, got.size());
            for (int i = 0; i < 100; i++) {
                assertEquals(i, got.get(i), "same-instant packets keep their order");
            }
            assertEquals(0, clock.nanos());
        }
    }

    @Test
    void delayIsExactInVirtualTime() {
        List<Arrival> arrivals = run(Impairment.parse("delay=5ms"), 10, false);
        for (Arrival a : arrivals) {
            assertEquals(a.number() * 1_000L + 5_000_000, a.time());
            assertEquals(0, a.flippedBits());
        }
    }

    @Test
    void oversizePacketsAreDroppedAndCounted() {
        EventLoop loop = EventLoop.manual(new VirtualClock());
        try (SimLink link = SimLink.create(loop.timers(), 576)) {
            link.b().setReceiver(p -> {
                p.release();
                throw new AssertionError("oversize packet delivered");
            });
            ByteBuf big = ALLOC.directBuffer(577).writeZero(577);
            link.a().send(big);
            loop.runUntilIdle();
            assertEquals(0, big.refCnt());
            assertEquals(1, link.drops(SimLink.Drop.OVERSIZE));
        }
    }

    @Test
    void sameSeedSameFatesDifferentSeedDifferentFates() {
        Impairment imp = Impairment.parse("loss=0.1,dup=0.05,reorder=0.1,delay=100us,corrupt=0.05,seed=42");
        List<Arrival> first = run(imp, 1000, false);
        assertEquals(first, run(imp, 1000, false));
        assertEquals(first, run(imp, 1000, true), "traffic the other way does not change this direction's fates");
        assertNotEquals(first, run(imp.withSeed(43), 1000, false));
    }

    @Test
    void corruptionFlipsExactlyOneBitAndLeavesTheSendersBytesAlone() {
        VirtualClock clock = new VirtualClock();
        EventLoop loop = EventLoop.manual(clock);
        List<Arrival> arrivals = new ArrayList<>();
        List<ByteBuf> kept = new ArrayList<>();
        try (SimLink link = SimLink.create(loop.timers(), 1500, Impairment.parse("corrupt=1,seed=1"))) {
            link.b().setReceiver(p -> arrivals.add(decode(clock.nanos(), p)));
            for (int i = 0; i < 200; i++) {
                ByteBuf p = packet(i);
                kept.add(p.retain()); // a sender that still holds the bytes, as TCP's retransmit queue does
                link.a().send(p);
            }
            loop.runUntilIdle();
        }
        assertEquals(200, arrivals.size());
        for (Arrival a : arrivals) {
            assertEquals(1, a.flippedBits());
        }
        for (int i = 0; i < kept.size(); i++) {
            assertEquals(0, flipped(kept.get(i), i), "sender's buffer untouched");
            kept.get(i).release();
        }
    }

    @Test
    void reorderedPacketsAreOvertakenByLaterOnes() {
        VirtualClock clock = new VirtualClock();
        EventLoop loop = EventLoop.manual(clock);
        List<Arrival> arrivals = new ArrayList<>();
        int n = 2000;
        try (SimLink link = SimLink.create(loop.timers(), 1500, Impairment.parse("reorder=0.2,seed=5"))) {
            link.b().setReceiver(p -> arrivals.add(decode(clock.nanos(), p)));
            for (int i = 0; i < n; i++) {
                link.a().send(packet(i));
                loop.advanceBy(1_000);
            }
            loop.advanceBy(10_000_000);
            long reordered = link.aToB().count(ImpairedPath.Event.REORDERED);
            assertWithin(0.2, reordered, n);
            // Held 1 ms while one packet is sent every microsecond: each held packet arrives after a
            // later one, except those sent in the last millisecond, which nothing overtakes.
            int late = 0;
            int highest = -1;
            for (Arrival a : arrivals) {
                if (a.number() < highest) {
                    late++;
                }
                highest = Math.max(highest, a.number());
            }
            assertEquals(n, arrivals.size());
            assertTrue(late <= reordered && late >= reordered - 0.3 * 1000, "late " + late + " of " + reordered);
        }
    }

    @Property(tries = 10)
    void ratesMatchTheConfiguredProbabilities(@ForAll @DoubleRange(min = 0, max = 0.5) double loss,
                                              @ForAll @DoubleRange(min = 0, max = 0.5) double dup,
                                              @ForAll @DoubleRange(min = 0, max = 0.5) double corrupt,
                                              @ForAll long seed) {
        int n = 10_000;
        Impairment imp = new Impairment(loss, dup, 0, 0, corrupt, seed);
        VirtualClock clock = new VirtualClock();
        EventLoop loop = EventLoop.manual(clock);
        try (SimLink link = SimLink.create(loop.timers(), 1500, imp)) {
            link.b().setReceiver(ByteBuf::release);
            for (int i = 0; i < n; i++) {
                // Not from a leak-tracked allocator: keeps the property fast under PARANOID detection.
                link.a().send(Unpooled.wrappedBuffer(new byte[PACKET]));
            }
            loop.runUntilIdle();
            ImpairedPath path = link.aToB();
            assertWithin(loss, path.count(ImpairedPath.Event.LOST), n);
            long survivors = n - path.count(ImpairedPath.Event.LOST);
            // dup and corrupt are decided independently of loss, among the survivors.
            assertWithin(dup, path.count(ImpairedPath.Event.DUPLICATED), survivors);
            assertWithin(corrupt, path.count(ImpairedPath.Event.CORRUPTED), survivors);
            assertEquals(survivors + path.count(ImpairedPath.Event.DUPLICATED),
                    path.count(ImpairedPath.Event.DELIVERED));
        }
    }

    /** The count lies within 5 standard deviations of the binomial mean (fails by chance ~1 in 10^6). */
    private static void assertWithin(double p, long count, long trials) {
        double mean = p * trials;
        double sd = Math.sqrt(trials * p * (1 - p));
        assertTrue(Math.abs(count - mean) <= 5 * sd + 1, "p=" + p + " trials=" + trials + " count=" + count);
    }

    @Test
    void closeReleasesEverythingInFlight() {
        VirtualClock clock = new VirtualClock();
        EventLoop loop = EventLoop.manual(clock);
        List<ByteBuf> sent = new ArrayList<>();
        SimLink link = SimLink.create(loop.timers(), 1500, Impairment.parse("delay=1s,dup=0.5"));
        link.b().setReceiver(ByteBuf::release);
        for (int i = 0; i < 50; i++) {
            ByteBuf p = packet(i);
            sent.add(p);
            link.a().send(p);
        }
        assertTrue(link.aToB().inFlight() >= 50);
        link.close();
        assertEquals(0, link.aToB().inFlight());
        for (ByteBuf p : sent) {
            assertEquals(0, p.refCnt());
        }
        ByteBuf late = packet(99);
        link.a().send(late);
        assertEquals(0, late.refCnt(), "a closed link releases what it is given");
        loop.advanceBy(2_000_000_000L);
    }

    @Test
    void impairedLinkImpairsBothDirectionsOfAnInnerDevice() {
        VirtualClock clock = new VirtualClock();
        EventLoop loop = EventLoop.manual(clock);
        try (SimLink wire = SimLink.create(loop.timers(), 1500)) {
            ImpairedLink impaired = new ImpairedLink(wire.a(), Impairment.parse("delay=3ms"), loop.timers());
            List<Long> atB = new ArrayList<>();
            List<Long> atStack = new ArrayList<>();
            wire.b().setReceiver(p -> {
                atB.add(clock.nanos());
                p.release();
            });
            impaired.setReceiver(p -> {
                atStack.add(clock.nanos());
                p.release();
            });
            impaired.send(packet(1));
            wire.b().send(packet(2));
            loop.advanceBy(10_000_000);
            assertEquals(List.of(3_000_000L), atB, "outbound delayed");
            assertEquals(List.of(3_000_000L), atStack, "inbound delayed");
            assertEquals(1, impaired.outbound().count(ImpairedPath.Event.DELIVERED));
            assertEquals(1, impaired.inbound().count(ImpairedPath.Event.DELIVERED));
            impaired.close();
        }
    }
}
