package dev.tuntcp.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Software segmentation as the kernel does it for a TSO super-segment (net/ipv4/tcp_offload.c): the
 * pieces carry exactly the original byte stream, each at most one segment size, with advancing
 * sequence numbers, FIN/PSH only on the last and CWR only on the first, counting IP IDs and valid
 * checksums; and partial checksums complete to the full one.
 */
class TcpSegmentationProperties {
    private static final ByteBufAllocator ALLOC = new PooledByteBufAllocator(true);
    private static final int SOURCE = 0x0A0D0002;
    private static final int DESTINATION = 0x0A0D0001;

    private static ByteBuf superSegment(int payloadLength, int seq, int flags, int id, boolean timestamps, long seed) {
        byte[] data = new byte[payloadLength];
        new Random(seed).nextBytes(data);
        ByteBuf payload = ALLOC.directBuffer(payloadLength).writeBytes(data);
        try {
            TcpOptions options = timestamps ? new TcpOptions().timestamps(0x01020304, 0x05060708) : null;
            SegmentBuilder b = new SegmentBuilder().addresses(SOURCE, DESTINATION).identification(id)
                    .ports(80, 40000).seq(seq).ack(0x11223344).flags(flags).window(502).options(options)
                    .payload(payload, 0, payloadLength);
            ByteBuf packet = ALLOC.directBuffer(b.length());
            b.write(packet);
            return packet;
        } finally {
            payload.release();
        }
    }

    @Property(tries = 150)
    void splitGivesTheSameStreamInWholeSegments(@ForAll @IntRange(min = 1, max = 65400) int payloadLength,
                                                @ForAll @IntRange(min = 1, max = 9000) int segmentSize,
                                                @ForAll int seq, @ForAll @IntRange(min = 0, max = 0xffff) int id,
                                                @ForAll boolean fin, @ForAll boolean psh, @ForAll boolean cwr,
                                                @ForAll boolean timestamps) {
        int flags = 0x10 | (fin ? 0x01 : 0) | (psh ? 0x08 : 0) | (cwr ? 0x80 : 0);
        ByteBuf packet = superSegment(payloadLength, seq, flags, id, timestamps, seq);
        List<ByteBuf> pieces = new ArrayList<>();
        try {
            assertEquals(TcpSegmentation.Outcome.DONE, TcpSegmentation.split(packet, segmentSize, ALLOC, pieces::add));
            int expectedPieces = (payloadLength + segmentSize - 1) / segmentSize;
            assertEquals(expectedPieces, pieces.size());
            int tcpHeaderLength = timestamps ? 32 : 20;
            byte[] original = new byte[payloadLength];
            packet.getBytes(20 + tcpHeaderLength, original);
            byte[] joined = new byte[payloadLength];
            int at = 0;
            Ipv4Header ip = new Ipv4Header();
            TcpHeader tcp = new TcpHeader();
            for (int i = 0; i < pieces.size(); i++) {
                ByteBuf p = pieces.get(i);
                boolean first = i == 0;
                boolean last = i == pieces.size() - 1;
                assertEquals(ParseError.NONE, ip.wrap(p, p.readerIndex(), p.readableBytes()), "IPv4 header of piece " + i);
                assertEquals((id + i) & 0xffff, ip.identification());
                assertTrue(ip.dontFragment());
                assertEquals(ParseError.NONE, tcp.wrap(ip));
                assertEquals(ParseError.NONE, tcp.verifyChecksum(SOURCE, DESTINATION), "TCP checksum of piece " + i);
                int length = ip.payloadLength() - tcp.headerLength();
                assertTrue(length > 0 && length <= segmentSize);
                if (!last) {
                    assertEquals(segmentSize, length, "every piece but the last is one whole segment");
                }
                assertEquals(seq + at, tcp.seq());
                assertEquals(0x11223344, tcp.ack());
                assertEquals(tcpHeaderLength, tcp.headerLength(), "options are copied to every piece");
                int expectedFlags = 0x10 | (fin && last ? 0x01 : 0) | (psh && last ? 0x08 : 0) | (cwr && first ? 0x80 : 0);
                assertEquals(expectedFlags, tcp.flags(), "flags of piece " + i);
                p.getBytes(ip.payloadOffset() + tcp.headerLength(), joined, at, length);
                at += length;
            }
            assertEquals(payloadLength, at);
            assertArrayEquals(original, joined);
        } finally {
            packet.release();
            pieces.forEach(ByteBuf::release);
        }
    }

    @Property(tries = 200)
    void partialChecksumCompletesToTheFullOne(@ForAll @IntRange(min = 0, max = 65400) int payloadLength,
                                              @ForAll int seq, @ForAll boolean timestamps) {
        ByteBuf packet = superSegment(Math.max(payloadLength, 0), seq, 0x18, 7, timestamps, seq);
        try {
            int full = packet.getUnsignedShort(20 + 16);
            TcpSegmentation.writePartialChecksum(packet);
            int partial = packet.getUnsignedShort(20 + 16);
            assertEquals(InternetChecksum.pseudoHeaderSum(SOURCE, DESTINATION, 6, packet.readableBytes() - 20), partial);
            assertEquals(TcpSegmentation.Outcome.DONE, TcpSegmentation.completeChecksum(packet, 20, 16));
            TcpHeader tcp = new TcpHeader();
            Ipv4Header ip = new Ipv4Header();
            assertEquals(ParseError.NONE, ip.wrap(packet, 0, packet.readableBytes()));
            assertEquals(ParseError.NONE, tcp.wrap(ip));
            assertEquals(ParseError.NONE, tcp.verifyChecksum(SOURCE, DESTINATION));
            // 0x0000 and 0xffff are both one's-complement zero; anything else must match exactly.
            int completed = packet.getUnsignedShort(20 + 16);
            assertTrue(completed == full || (completed | full) == 0xffff && (completed & full) == 0);
        } finally {
            packet.release();
        }
    }

    @Property(tries = 100)
    void builderLeavesThePseudoHeaderSumWhenAskedFor(@ForAll @IntRange(min = 0, max = 9000) int payloadLength,
                                                   @ForAll int seq) {
        ByteBuf full = superSegment(payloadLength, seq, 0x10, 1, true, seq);
        ByteBuf payload = ALLOC.directBuffer(payloadLength).writeBytes(full, 52, payloadLength);
        SegmentBuilder b = new SegmentBuilder().addresses(SOURCE, DESTINATION).identification(1).ports(80, 40000)
                .seq(seq).ack(0x11223344).flags(0x10).window(502).options(new TcpOptions().timestamps(0x01020304, 0x05060708))
                .payload(payload, 0, payloadLength).partialChecksum(true);
        ByteBuf partial = ALLOC.directBuffer(b.length());
        try {
            b.write(partial);
            TcpSegmentation.writePartialChecksum(full);
            assertEquals(full.getUnsignedShort(36), partial.getUnsignedShort(36));
            assertEquals(0, full.compareTo(partial), "identical but for nothing");
        } finally {
            full.release();
            payload.release();
            partial.release();
        }
    }

    @Test
    void badRequestsAreTypedOutcomesThatLeaveThePacketAlone() {
        ByteBuf packet = superSegment(3000, 1, 0x10, 0, false, 1);
        List<ByteBuf> pieces = new ArrayList<>();
        try {
            assertEquals(TcpSegmentation.Outcome.BAD_OFFLOAD_REQUEST, TcpSegmentation.split(packet, 0, ALLOC, pieces::add));
            assertEquals(TcpSegmentation.Outcome.BAD_OFFLOAD_REQUEST, TcpSegmentation.completeChecksum(packet, 3030, 16));
            packet.setByte(9, 17); // UDP
            assertEquals(TcpSegmentation.Outcome.NOT_TCP, TcpSegmentation.split(packet, 1000, ALLOC, pieces::add));
            packet.setByte(9, 6);
            packet.setShort(2, 70000 & 0xffff); // total length beyond the buffer
            assertEquals(TcpSegmentation.Outcome.MALFORMED_IP, TcpSegmentation.split(packet, 1000, ALLOC, pieces::add));
            packet.setShort(2, packet.readableBytes());
            packet.setShort(6, 0x2000); // a fragment
            assertEquals(TcpSegmentation.Outcome.MALFORMED_IP, TcpSegmentation.split(packet, 1000, ALLOC, pieces::add));
            packet.setByte(0, 0x65); // IPv6 version nibble
            assertEquals(TcpSegmentation.Outcome.MALFORMED_IP, TcpSegmentation.split(packet, 1000, ALLOC, pieces::add));
            assertEquals(0, pieces.size());
        } finally {
            packet.release();
        }
    }
}
