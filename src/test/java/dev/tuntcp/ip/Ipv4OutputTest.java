package dev.tuntcp.ip;

import static dev.tuntcp.ip.IpHarness.PEER;
import static dev.tuntcp.ip.IpHarness.US;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.stack.Counters;
import dev.tuntcp.stack.TimerQueue;
import dev.tuntcp.stack.VirtualClock;
import dev.tuntcp.wire.InternetChecksum;
import dev.tuntcp.wire.Ipv4HeaderWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class Ipv4OutputTest {

    @Property(tries = 60)
    void fragmentsFitTheMtuAndReassembleToTheOriginal(@ForAll @IntRange(min = 68, max = 9000) int mtu,
                                                      @ForAll @IntRange(min = 0, max = 65515) int payloadLength,
                                                      @ForAll long seed) {
        byte[] payload = new byte[payloadLength];
        new Random(seed).nextBytes(payload);
        try (IpHarness h = new IpHarness(mtu)) {
            h.stack.ipv4Output().sendPayload(PEER, 17, Unpooled.wrappedBuffer(payload), false);
            h.loop.runUntilIdle();
            List<ByteBuf> out = h.takeSent();
            if (20 + payloadLength <= mtu) {
                assertEquals(1, out.size());
            } else {
                assertEquals((payloadLength + ((mtu - 20) & ~7) - 1) / ((mtu - 20) & ~7), out.size());
            }
            // Reassemble with the production reassembler: the two must agree.
            VirtualClock clock = new VirtualClock();
            Counters counters = new Counters();
            FragmentReassembler r = new FragmentReassembler(new TimerQueue(clock), counters, IpHarness.ALLOC,
                    FragmentReassembler.Limits.defaults());
            ByteBuf whole = null;
            for (ByteBuf f : out) {
                assertTrue(f.readableBytes() <= mtu, "fragment fits the MTU");
                assertEquals(0, InternetChecksum.checksum(f, 0, 20));
                assertEquals(f.readableBytes(), f.getUnsignedShort(2));
                if (out.size() == 1) {
                    whole = f.retain();
                    continue;
                }
                int flags = f.getUnsignedShort(6);
                whole = r.offer(f.retain(), 20, f.readableBytes() - 20, US, PEER, 17, f.getUnsignedShort(4),
                        (flags & 0x1fff) << 3, (flags & 0x2000) != 0);
            }
            assertNotNull(whole);
            byte[] got = new byte[whole.readableBytes() - 20];
            whole.getBytes(20, got);
            assertArrayEquals(payload, got);
            whole.release();
            r.close();
            IpHarness.releaseAll(out);
        }
    }

    @Test
    void dontFragmentTooBigIsDroppedAndCounted() {
        try (IpHarness h = new IpHarness(1500)) {
            ByteBuf payload = Unpooled.wrappedBuffer(new byte[1481]);
            h.stack.ipv4Output().sendPayload(PEER, 6, payload, true);
            h.loop.runUntilIdle();
            assertTrue(h.takeSent().isEmpty());
            assertEquals(1, h.counters.get(Ipv4Drop.OUT_TOO_BIG_WITH_DF));
            assertEquals(0, payload.refCnt());
        }
    }

    @Test
    void onlyCopiedOptionsGoIntoLaterFragments() {
        try (IpHarness h = new IpHarness(576)) {
            // Header with options: record route (7, not copied, 11 bytes), NOP, a copied option (0x88,
            // stream id, 4 bytes); 36 bytes with padding.
            byte[] payload = new byte[1200];
            new Random(3).nextBytes(payload);
            ByteBuf p = IpHarness.ALLOC.directBuffer();
            p.writeByte(0x49).writeByte(0).writeShort(36 + payload.length).writeShort(5).writeShort(0)
                    .writeByte(64).writeByte(17).writeShort(0).writeInt(US).writeInt(PEER);
            p.writeByte(7).writeByte(11).writeByte(4).writeZero(8);
            p.writeByte(1);
            p.writeByte(0x88).writeByte(4).writeShort(0xbeef);
            assertEquals(36, p.writerIndex());
            p.writeBytes(payload);
            Ipv4HeaderWriter.updateChecksum(p, 0);
            h.stack.ipv4Output().send(p);
            h.loop.runUntilIdle();
            List<ByteBuf> out = h.takeSent();
            assertTrue(out.size() >= 3);
            assertEquals(36, (out.get(0).getUnsignedByte(0) & 0xf) << 2, "first keeps all options");
            for (ByteBuf f : out.subList(1, out.size())) {
                assertEquals(24, (f.getUnsignedByte(0) & 0xf) << 2, "later ones keep the copied option");
                assertEquals(0x88, f.getUnsignedByte(20));
                assertEquals(0xbeef, f.getUnsignedShort(22));
                assertEquals(0, InternetChecksum.checksum(f, 0, 24));
            }
            assertArrayEquals(payload, IpHarness.joinFragments(out));
            IpHarness.releaseAll(out);
        }
    }

    @Test
    void identificationsArePerDestinationCountersFromASecretStart() {
        IpIdGenerator a = new IpIdGenerator(1);
        IpIdGenerator b = new IpIdGenerator(1);
        IpIdGenerator c = new IpIdGenerator(2);
        int first = a.next(US, PEER, 1);
        assertEquals(first, b.next(US, PEER, 1), "deterministic for a seed");
        assertNotEquals(first, c.next(US, PEER, 1), "a different secret gives a different start");
        int other = TestPackets.addr(10, 13, 0, 7);
        for (int i = 1; i <= 100; i++) {
            a.next(US, other, 1); // traffic to another host
            assertEquals((first + i) & 0xffff, a.next(US, PEER, 1), "the peer sees only its own counter advance");
        }
    }

    @Test
    void nextIdentificationFeedsBuiltPackets() {
        try (IpHarness h = new IpHarness()) {
            h.stack.ipv4Output().sendPayload(PEER, 17, Unpooled.wrappedBuffer(new byte[4]), false);
            h.stack.ipv4Output().sendPayload(PEER, 17, Unpooled.wrappedBuffer(new byte[4]), false);
            h.loop.runUntilIdle();
            List<ByteBuf> out = h.takeSent();
            assertEquals((out.get(0).getUnsignedShort(4) + 1) & 0xffff, out.get(1).getUnsignedShort(4));
            IpHarness.releaseAll(out);
        }
    }
}
