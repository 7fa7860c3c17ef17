package dev.tuntcp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.testing.Rfc9293;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One test per TCP header malformation of issue 3 point 3, plus every field and flag. */
class TcpHeaderTest {
    private static final int A = Ipv4Address.of(10, 13, 0, 1);
    private static final int B = Ipv4Address.of(10, 13, 0, 2);
    private final TcpHeader tcp = new TcpHeader();
    private ByteBuf buf;

    /** A 24-byte segment: 20-byte header and 4 payload bytes, checksum for A > B. */
    @BeforeEach
    void validSegment() {
        buf = Unpooled.buffer();
        TcpRepr.of(1234, 80, 100, 200, TcpFlags.ACK | TcpFlags.PSH, 512)
                .withPayload(new byte[] {1, 2, 3, 4}).emit(buf.writeZero(24), 0, A, B);
    }

    @AfterEach
    void release() {
        buf.release();
    }

    @Test
    void validSegmentParsesAndVerifies() {
        assertEquals(ParseError.NONE, tcp.wrap(buf, 0, 24));
        assertEquals(ParseError.NONE, tcp.verifyChecksum(A, B));
        assertEquals(20, tcp.headerLength());
        assertEquals(5, tcp.dataOffset());
        assertEquals(4, tcp.payloadLength());
        assertEquals(4, tcp.sequenceLength());
    }

    /** The fixed header is read once by wrap (its getters are a snapshot); a new wrap sees writes. */
    @Test
    void gettersReturnTheHeaderAsItWasAtWrap() {
        assertEquals(ParseError.NONE, tcp.wrap(buf, 0, 24));
        buf.setShort(0, 4321);
        buf.setInt(4, 7);
        buf.setShort(14, 99);
        assertEquals(1234, tcp.sourcePort());
        assertEquals(100, tcp.seq());
        assertEquals(512, tcp.window());
        assertEquals(ParseError.NONE, tcp.wrap(buf, 0, 24));
        assertEquals(4321, tcp.sourcePort());
        assertEquals(7, tcp.seq());
        assertEquals(99, tcp.window());
        assertEquals(TcpFlags.ACK | TcpFlags.PSH, tcp.flags());
        assertEquals(200, tcp.ack());
    }

    /**
     * After wrap(Ipv4Header) the options are read through the IPv4 view's binding; a following
     * wrap(ByteBuf, …) must read its own buffer again, and each switch must see the right packet
     * (the SYN's options in a direct buffer, the data segment's in a heap one).
     */
    @Test
    void optionsFollowWhicheverWrapCameLast() {
        LinuxFixture syn = LinuxFixture.named("01-syn");
        LinuxFixture data = LinuxFixture.named("04-data");
        byte[] synBytes = syn.bytes();
        ByteBuf direct = Unpooled.directBuffer(synBytes.length).writeBytes(synBytes);
        ByteBuf heap = data.buffer();
        Ipv4Header ip = new Ipv4Header();
        TcpOptions options = new TcpOptions();
        try {
            for (int round = 0; round < 2; round++) {
                assertEquals(ParseError.NONE, ip.wrap(direct, 0, synBytes.length));
                assertEquals(ParseError.NONE, tcp.wrap(ip));
                assertEquals(ParseError.NONE, tcp.readOptions(options));
                assertEquals(syn.number("tcp.options.mss_val"), options.mss());
                assertTrue(options.sackPermitted());
                assertEquals(ParseError.NONE, tcp.wrap(heap, 20, heap.readableBytes() - 20));
                assertEquals(ParseError.NONE, tcp.readOptions(options));
                assertEquals(false, options.hasMss());
                assertEquals(data.number("tcp.options.timestamp.tsval"), options.tsVal() & 0xffffffffL);
            }
            // A datagram too short for a TCP header: truncated, and nothing past the IPv4 header is read.
            ByteBuf shortOne = Unpooled.buffer(30).writeZero(30);
            try {
                Ipv4HeaderWriter.write(shortOne, 0, 0, 30, 1, true, 64, Ipv4Header.PROTOCOL_TCP, A, B);
                assertEquals(ParseError.NONE, ip.wrap(shortOne, 0, 30));
                assertEquals(ParseError.TCP_TRUNCATED, tcp.wrap(ip));
                assertEquals(0, tcp.headerLength());
                assertEquals(0, tcp.payloadLength());
                assertEquals(ParseError.NONE, tcp.readOptions(options));
                assertEquals(false, options.hasTimestamps());
            } finally {
                shortOne.release();
            }
        } finally {
            direct.release();
            heap.release();
        }
    }

    @Test
    void fewerThanTwentyBytesIsTruncated() {
        assertEquals(ParseError.TCP_TRUNCATED, tcp.wrap(buf, 0, 19));
        assertEquals(ParseError.TCP_TRUNCATED, tcp.wrap(buf, 5, 20));
    }

    @Test
    void dataOffsetBelowFiveIsRejected() {
        buf.setByte(12, 4 << 4);
        assertEquals(ParseError.TCP_DATA_OFFSET_TOO_SMALL, tcp.wrap(buf, 0, 24));
    }

    @Test
    void dataOffsetBeyondTheSegmentIsRejected() {
        buf.setByte(12, 7 << 4); // 28-byte header in a 24-byte segment
        assertEquals(ParseError.TCP_DATA_OFFSET_BEYOND_SEGMENT, tcp.wrap(buf, 0, 24));
    }

    @Test
    @Rfc9293("MUST-3")
    void badChecksumIsRejected() {
        buf.setByte(23, 5);
        assertEquals(ParseError.NONE, tcp.wrap(buf, 0, 24));
        assertEquals(ParseError.TCP_BAD_CHECKSUM, tcp.verifyChecksum(A, B));
    }

    @Test
    @Rfc9293("MUST-3")
    void checksumCoversThePseudoHeader() {
        assertEquals(ParseError.NONE, tcp.wrap(buf, 0, 24));
        assertEquals(ParseError.TCP_BAD_CHECKSUM, tcp.verifyChecksum(B, A + 1));
    }

    @Test
    @Rfc9293("MUST-1")
    void everyFieldAndAllNineFlagsAreDecoded() {
        int all = TcpFlags.MASK;
        ByteBuf b = Unpooled.buffer().writeZero(20);
        try {
            new TcpRepr(65535, 1, 0xffffffff, 0x80000000, all, 65535, 0xabcd, java.util.List.of(), new byte[0])
                    .emit(b, 0, A, B);
            assertEquals(ParseError.NONE, tcp.wrap(b, 0, 20));
            assertEquals(65535, tcp.sourcePort());
            assertEquals(1, tcp.destinationPort());
            assertEquals(0xffffffff, tcp.seq());
            assertEquals(0x80000000, tcp.ack());
            assertEquals(all, tcp.flags());
            assertTrue(tcp.fin() && tcp.syn() && tcp.rst() && tcp.psh() && tcp.ackFlag() && tcp.urg()
                    && tcp.ece() && tcp.cwr() && tcp.ae());
            assertEquals(0, tcp.reserved());
            assertEquals(65535, tcp.window());
            assertEquals(0xabcd, tcp.urgentPointer());
            assertEquals(TcpControl.ILLEGAL_SYN_FIN, tcp.control());
            assertEquals(2, tcp.sequenceLength()); // SYN and FIN each take one
            assertEquals("[FSRP.UEWe] seq 4294967295 ack 2147483648 win 65535 urg 43981", TcpFormat.format(tcp));
        } finally {
            b.release();
        }
    }

    @Test
    void flagsAreIndependentOfTheReservedBits() {
        buf.setByte(12, buf.getByte(12) | 0x0e); // reserved bits set
        assertEquals(ParseError.NONE, tcp.wrap(buf, 0, 24));
        assertEquals(7, tcp.reserved());
        assertEquals(TcpFlags.ACK | TcpFlags.PSH, tcp.flags());
    }
}
