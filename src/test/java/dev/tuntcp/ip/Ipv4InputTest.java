package dev.tuntcp.ip;

import static dev.tuntcp.ip.IpHarness.PEER;
import static dev.tuntcp.ip.IpHarness.US;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.testing.Rfc9293;
import dev.tuntcp.wire.InternetChecksum;
import dev.tuntcp.wire.Ipv4Header;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class Ipv4InputTest {

    private static void assertValidIpv4(ByteBuf p) {
        assertEquals(4, p.getUnsignedByte(0) >>> 4);
        int hlen = (p.getUnsignedByte(0) & 0xf) << 2;
        assertEquals(0, InternetChecksum.checksum(p, 0, hlen), "IPv4 header checksum");
        assertEquals(p.readableBytes(), p.getUnsignedShort(2), "total length");
    }

    @Test
    void answersEchoWithTheSameIdentifierSequenceAndData() {
        try (IpHarness h = new IpHarness()) {
            byte[] data = new byte[56];
            new Random(1).nextBytes(data);
            h.inject(IpHarness.echoRequest(0x1234, 7, data, 99, 0, 0));
            List<ByteBuf> out = h.takeSent();
            assertEquals(1, out.size());
            ByteBuf r = out.get(0);
            assertValidIpv4(r);
            assertEquals(64, r.getUnsignedByte(8), "TTL 64");
            assertEquals(1, r.getUnsignedByte(9));
            assertEquals(US, r.getInt(12));
            assertEquals(PEER, r.getInt(16));
            assertEquals(0, r.getUnsignedByte(20), "echo reply");
            assertEquals(0, InternetChecksum.checksum(r, 20, r.readableBytes() - 20), "ICMP checksum");
            assertEquals(0x1234, r.getUnsignedShort(24));
            assertEquals(7, r.getUnsignedShort(26));
            byte[] got = new byte[56];
            r.getBytes(28, got);
            assertArrayEquals(data, got);
            assertEquals(1, h.counters.get(Ipv4Stat.ECHO_REQUESTS));
            IpHarness.releaseAll(out);
        }
    }

    @Test
    void largestPingIsReassembledAndItsReplyFragmentedToTheMtu() {
        try (IpHarness h = new IpHarness(1500)) {
            byte[] data = new byte[65507];
            new Random(2).nextBytes(data);
            byte[] message = IpHarness.echoMessage(1, 1, data);
            // The peer fragments to 1480-byte payloads, sent last first for good measure.
            List<ByteBuf> frags = new ArrayList<>();
            for (int off = 0; off < message.length; off += 1480) {
                int len = Math.min(1480, message.length - off);
                boolean more = off + len < message.length;
                frags.add(TestPackets.ipv4(IpHarness.ALLOC, PEER, US, 1, 4242, more ? 1 : 0, off, 64, message, off, len));
            }
            for (int i = frags.size() - 1; i >= 0; i--) {
                h.inject(frags.get(i));
            }
            assertEquals(1, h.counters.get(Ipv4Stat.REASSEMBLED));
            List<ByteBuf> out = h.takeSent();
            assertEquals(45, out.size(), "65535 bytes in 1480-byte pieces");
            int id = out.get(0).getUnsignedShort(4);
            for (ByteBuf f : out) {
                assertValidIpv4(f);
                assertTrue(f.readableBytes() <= 1500);
                assertEquals(id, f.getUnsignedShort(4), "one datagram");
                assertEquals(0, f.getUnsignedShort(6) & 0x4000, "no DF on fragments");
            }
            byte[] reply = IpHarness.joinFragments(out);
            assertEquals(message.length, reply.length);
            assertEquals(0, reply[0], "echo reply");
            byte[] replyData = new byte[data.length];
            System.arraycopy(reply, 8, replyData, 0, data.length);
            assertArrayEquals(data, replyData);
            ByteBuf check = io.netty.buffer.Unpooled.wrappedBuffer(reply);
            assertEquals(0, InternetChecksum.checksum(check, 0, reply.length), "ICMP checksum over the whole reply");
            assertEquals(1, h.counters.get(Ipv4Stat.FRAGMENTED));
            IpHarness.releaseAll(out);
        }
    }

    /** Malformed or foreign packets: each counted under its own reason, none answered, none leaked. */
    @Test
    @Rfc9293({"MUST-57", "MUST-63"})
    void everyBadPacketIsCountedUnderItsOwnReasonAndPingStillWorks() {
        Map<Ipv4Drop, Consumer<ByteBuf>> cases = new java.util.LinkedHashMap<>();
        cases.put(Ipv4Drop.BAD_CHECKSUM, p -> p.setShort(10, p.getUnsignedShort(10) ^ 0x0101));
        cases.put(Ipv4Drop.IHL_TOO_SMALL, p -> setAndFix(p, 0, 0x43));
        cases.put(Ipv4Drop.IHL_BEYOND_PACKET, p -> {
            p.writerIndex(40);
            setAndFix(p, 0, 0x4f);
        });
        cases.put(Ipv4Drop.TOTAL_LENGTH_BEYOND_PACKET, p -> setShortAndFix(p, 2, p.readableBytes() + 100));
        cases.put(Ipv4Drop.TOTAL_LENGTH_BELOW_HEADER, p -> setShortAndFix(p, 2, 12));
        cases.put(Ipv4Drop.TTL_ZERO, p -> setAndFix(p, 8, 0));
        cases.put(Ipv4Drop.BAD_SOURCE, p -> setIntAndFix(p, 12, TestPackets.addr(127, 0, 0, 1)));
        cases.put(Ipv4Drop.NOT_FOR_US, p -> setIntAndFix(p, 16, TestPackets.addr(10, 13, 0, 3)));
        cases.put(Ipv4Drop.BROADCAST, p -> setIntAndFix(p, 16, TestPackets.addr(10, 13, 0, 255)));
        cases.put(Ipv4Drop.MULTICAST, p -> setIntAndFix(p, 16, TestPackets.addr(224, 0, 0, 1)));
        cases.put(Ipv4Drop.ICMP_BAD_CHECKSUM, p -> p.setByte(30, p.getByte(30) ^ 1));
        cases.put(Ipv4Drop.ICMP_TRUNCATED, p -> {
            p.writerIndex(24);
            setShortAndFix(p, 2, 24);
        });
        cases.put(Ipv4Drop.NOT_IPV4, p -> p.setByte(0, 0x60));
        cases.put(Ipv4Drop.TRUNCATED, p -> p.writerIndex(19));
        try (IpHarness h = new IpHarness()) {
            for (Map.Entry<Ipv4Drop, Consumer<ByteBuf>> c : cases.entrySet()) {
                ByteBuf p = IpHarness.echoRequest(1, 1, new byte[32], 5, 0, 0);
                c.getValue().accept(p);
                h.inject(p);
                assertEquals(0, p.refCnt(), c.getKey() + ": released");
                assertEquals(1, h.counters.get(c.getKey()), c.getKey() + " counted once");
                assertTrue(h.takeSent().isEmpty(), c.getKey() + ": not answered");
            }
            h.inject(IpHarness.echoRequest(1, 2, new byte[32], 6, 0, 0));
            List<ByteBuf> out = h.takeSent();
            assertEquals(1, out.size(), "still answers ping");
            IpHarness.releaseAll(out);
            assertEquals(0, h.counters.get(Ipv4Stat.ECHO_REQUESTS) - 1);
        }
    }

    @Test
    void emptyFramesAndIpv6AreNotIpv4() {
        try (IpHarness h = new IpHarness()) {
            ByteBuf v6 = IpHarness.ALLOC.buffer(48);
            v6.writeByte(0x60).writeZero(47);
            h.inject(v6);
            ByteBuf tiny = IpHarness.ALLOC.buffer(1).writeByte(0x60);
            h.inject(tiny);
            assertEquals(2, h.counters.get(Ipv4Drop.NOT_IPV4));
            h.inject(IpHarness.ALLOC.buffer(0));
            assertEquals(1, h.counters.get(Ipv4Drop.TRUNCATED));
        }
    }

    @Test
    void linkPaddingIsTrimmed() {
        try (IpHarness h = new IpHarness()) {
            ByteBuf p = IpHarness.echoRequest(3, 3, new byte[10], 7, 0, 0);
            p.writeZero(8);
            h.inject(p);
            List<ByteBuf> out = h.takeSent();
            assertEquals(1, out.size());
            assertEquals(20 + 8 + 10, out.get(0).readableBytes());
            assertValidIpv4(out.get(0));
            assertEquals(1, h.counters.get(Ipv4Stat.PADDING_TRIMMED));
            IpHarness.releaseAll(out);
        }
    }

    @Test
    void unservedProtocolGetsProtocolUnreachableWithinTheRateLimit() {
        try (IpHarness h = new IpHarness()) {
            byte[] udp = new byte[16];
            for (int i = 0; i < 60; i++) {
                h.inject(TestPackets.ipv4(IpHarness.ALLOC, PEER, US, 17, 100 + i, 0, 0, 64, udp, 0, udp.length));
            }
            List<ByteBuf> out = h.takeSent();
            assertEquals(50, out.size(), "burst of 50");
            assertEquals(10, h.counters.get(Ipv4Stat.ICMP_ERRORS_RATE_LIMITED));
            assertEquals(60, h.counters.get(Ipv4Drop.NO_TRANSPORT));
            ByteBuf r = out.get(0);
            assertValidIpv4(r);
            assertEquals(3, r.getUnsignedByte(20), "destination unreachable");
            assertEquals(2, r.getUnsignedByte(21), "protocol unreachable");
            assertEquals(0, InternetChecksum.checksum(r, 20, r.readableBytes() - 20));
            assertEquals(100, r.getUnsignedShort(28 + 4), "quotes the offending header");
            assertEquals(28 + 20 + 8, r.readableBytes(), "header plus 8 bytes quoted");
            IpHarness.releaseAll(out);
            h.clock.advance(1_000_000_000L);
            h.inject(TestPackets.ipv4(IpHarness.ALLOC, PEER, US, 17, 999, 0, 0, 64, udp, 0, udp.length));
            out = h.takeSent();
            assertEquals(1, out.size(), "tokens come back with time");
            IpHarness.releaseAll(out);
        }
    }

    @Test
    void registeredTransportGetsTheDatagramAndItsIcmpErrors() {
        try (IpHarness h = new IpHarness()) {
            List<String> seen = new ArrayList<>();
            h.stack.ipv4Input().register(6, new TransportReceiver() {
                @Override
                public void onSegment(Ipv4Header ip, ByteBuf packet) {
                    seen.add("segment " + ip.payloadLength() + " from " + Integer.toHexString(ip.sourceAddress()));
                    packet.release();
                }

                @Override
                public void onIcmpError(int type, int code, int rest, ByteBuf quote, int offset, int length) {
                    seen.add("icmp " + type + "/" + code + " mtu " + (rest & 0xffff) + " quoting proto "
                            + quote.getUnsignedByte(offset + 9));
                }
            });
            byte[] tcp = new byte[24];
            h.inject(TestPackets.ipv4(IpHarness.ALLOC, PEER, US, 6, 1, 0, 0, 64, tcp, 0, tcp.length));
            // Fragmentation needed (RFC 1191) about a TCP datagram we sent.
            ByteBuf quoted = TestPackets.ipv4(IpHarness.ALLOC, US, PEER, 6, 1, 2, 0, 64, tcp, 0, tcp.length);
            byte[] q = TestPackets.bytes(quoted);
            quoted.release();
            ByteBuf icmp = IpHarness.ALLOC.heapBuffer();
            icmp.writeByte(3).writeByte(4).writeShort(0).writeShort(0).writeShort(1280).writeBytes(q, 0, 28);
            icmp.setShort(2, InternetChecksum.checksum(icmp, 0, icmp.readableBytes()));
            byte[] msg = TestPackets.bytes(icmp);
            icmp.release();
            h.inject(TestPackets.ipv4(IpHarness.ALLOC, PEER, US, 1, 2, 0, 0, 64, msg, 0, msg.length));
            assertEquals(List.of("segment 24 from a0d0001", "icmp 3/4 mtu 1280 quoting proto 6"), seen);
            assertTrue(h.takeSent().isEmpty());
        }
    }

    @Test
    void reassemblyTimeoutSendsTimeExceeded() {
        try (IpHarness h = new IpHarness()) {
            byte[] message = IpHarness.echoMessage(1, 1, new byte[3000]);
            h.inject(TestPackets.ipv4(IpHarness.ALLOC, PEER, US, 1, 77, 1, 0, 64, message, 0, 1480));
            h.loop.advanceBy(31_000_000_000L);
            List<ByteBuf> out = h.takeSent();
            assertEquals(1, out.size());
            ByteBuf r = out.get(0);
            assertValidIpv4(r);
            assertEquals(11, r.getUnsignedByte(20), "time exceeded");
            assertEquals(1, r.getUnsignedByte(21), "fragment reassembly time exceeded");
            assertEquals(77, r.getUnsignedShort(28 + 4), "quotes fragment zero");
            assertEquals(1, h.counters.get(ReassemblyDrop.TIMEOUT));
            IpHarness.releaseAll(out);
        }
    }

    @Test
    void overlappingFragmentsAreCountedAndPingGoesOn() {
        try (IpHarness h = new IpHarness()) {
            byte[] message = IpHarness.echoMessage(1, 1, new byte[3000]);
            h.inject(TestPackets.ipv4(IpHarness.ALLOC, PEER, US, 1, 88, 1, 0, 64, message, 0, 1480));
            h.inject(TestPackets.ipv4(IpHarness.ALLOC, PEER, US, 1, 88, 1, 1000, 64, message, 1000, 1480));
            h.inject(TestPackets.ipv4(IpHarness.ALLOC, PEER, US, 1, 88, 0, 2480, 64, message, 2480, message.length - 2480));
            assertEquals(1, h.counters.get(ReassemblyDrop.OVERLAP));
            assertTrue(h.takeSent().isEmpty());
            h.inject(IpHarness.echoRequest(1, 2, new byte[8], 89, 0, 0));
            List<ByteBuf> out = h.takeSent();
            assertEquals(1, out.size());
            IpHarness.releaseAll(out);
        }
    }

    @Test
    void aSharedRequestBufferIsAnsweredFromACopy() {
        try (IpHarness h = new IpHarness()) {
            ByteBuf p = IpHarness.echoRequest(9, 9, new byte[20], 1, 0, 0);
            ByteBuf mine = p.retain();
            h.inject(p);
            List<ByteBuf> out = h.takeSent();
            assertEquals(1, out.size());
            assertEquals(8, mine.getUnsignedByte(20), "the request bytes were not rewritten");
            assertEquals(0, out.get(0).getUnsignedByte(20));
            mine.release();
            IpHarness.releaseAll(out);
        }
    }

    private static void setAndFix(ByteBuf p, int index, int value) {
        p.setByte(index, value);
        fix(p);
    }

    private static void setShortAndFix(ByteBuf p, int index, int value) {
        p.setShort(index, value);
        fix(p);
    }

    private static void setIntAndFix(ByteBuf p, int index, int value) {
        p.setInt(index, value);
        fix(p);
    }

    /** Recomputes the header checksum over IHL words (capped to what is there). */
    private static void fix(ByteBuf p) {
        int hlen = Math.min((p.getUnsignedByte(0) & 0xf) << 2, p.readableBytes());
        hlen = Math.max(hlen, 20);
        p.setShort(10, 0);
        p.setShort(10, InternetChecksum.checksum(p, 0, Math.min(hlen, p.readableBytes())));
    }
}
