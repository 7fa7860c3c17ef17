package dev.tuntcp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One test per IPv4 malformation of issue 3 point 3, plus the fields of unusual but legal headers. */
class Ipv4HeaderTest {
    private static final int A = Ipv4Address.of(10, 13, 0, 1);
    private static final int B = Ipv4Address.of(10, 13, 0, 2);
    private final Ipv4Header ip = new Ipv4Header();
    private ByteBuf buf;

    /** A 20-byte header carrying 8 bytes of payload. */
    @BeforeEach
    void validDatagram() {
        buf = Unpooled.buffer(28).writeZero(28);
        Ipv4HeaderWriter.write(buf, 0, 0, 28, 7, true, 64, Ipv4Header.PROTOCOL_UDP, A, B);
    }

    @AfterEach
    void release() {
        buf.release();
    }

    @Test
    void validHeaderParses() {
        assertEquals(ParseError.NONE, ip.wrap(buf, 0, 28));
        assertEquals(20, ip.headerLength());
        assertEquals(8, ip.payloadLength());
        assertEquals(20, ip.payloadOffset());
    }

    @Test
    void fewerThanTwentyBytesIsTruncated() {
        assertEquals(ParseError.IPV4_TRUNCATED, ip.wrap(buf, 0, 19));
    }

    @Test
    void rangeOutsideTheWrittenBytesIsTruncated() {
        assertEquals(ParseError.IPV4_TRUNCATED, ip.wrap(buf, 9, 20));
        assertEquals(ParseError.IPV4_TRUNCATED, ip.wrap(buf, -1, 28));
        assertEquals(ParseError.IPV4_TRUNCATED, ip.wrap(buf, 0, 29));
    }

    @Test
    void versionOtherThanFourIsRejected() {
        buf.setByte(0, 0x65);
        Ipv4HeaderWriter.updateChecksum(buf, 0);
        assertEquals(ParseError.IPV4_BAD_VERSION, ip.wrap(buf, 0, 28));
    }

    @Test
    void ihlBelowFiveIsRejected() {
        buf.setByte(0, 0x44);
        assertEquals(ParseError.IPV4_IHL_TOO_SMALL, ip.wrap(buf, 0, 28));
    }

    @Test
    void ihlBeyondTheBufferIsRejected() {
        buf.setByte(0, 0x48); // 32-byte header in 28 bytes
        assertEquals(ParseError.IPV4_IHL_BEYOND_BUFFER, ip.wrap(buf, 0, 28));
    }

    @Test
    void totalLengthBeyondTheBufferIsRejected() {
        buf.setShort(2, 29);
        Ipv4HeaderWriter.updateChecksum(buf, 0);
        assertEquals(ParseError.IPV4_TOTAL_LENGTH_BEYOND_BUFFER, ip.wrap(buf, 0, 28));
    }

    @Test
    void totalLengthBelowTheHeaderIsRejected() {
        buf.setShort(2, 19);
        Ipv4HeaderWriter.updateChecksum(buf, 0);
        assertEquals(ParseError.IPV4_TOTAL_LENGTH_BELOW_HEADER, ip.wrap(buf, 0, 28));
    }

    @Test
    void badHeaderChecksumIsRejected() {
        buf.setByte(8, 63); // TTL changed, checksum not
        assertEquals(ParseError.IPV4_BAD_CHECKSUM, ip.wrap(buf, 0, 28));
    }

    @Test
    void linkPaddingAfterTotalLengthIsIgnored() {
        buf.setShort(2, 24);
        Ipv4HeaderWriter.updateChecksum(buf, 0);
        assertEquals(ParseError.NONE, ip.wrap(buf, 0, 28));
        assertEquals(4, ip.payloadLength());
    }

    @Test
    void optionsAreSkippedByIhl() {
        ByteBuf b = Unpooled.buffer(32).writeZero(32);
        try {
            Ipv4HeaderWriter.write(b, 0, 0, 32, 1, false, 64, Ipv4Header.PROTOCOL_TCP, A, B);
            b.setByte(0, 0x46); // IHL 6: one word of options (4 x NOP-like zero bytes)
            b.setInt(20, 0x01010100);
            Ipv4HeaderWriter.updateChecksum(b, 0);
            assertEquals(ParseError.NONE, ip.wrap(b, 0, 32));
            assertEquals(24, ip.headerLength());
            assertEquals(4, ip.optionsLength());
            assertEquals(24, ip.payloadOffset());
            assertEquals(8, ip.payloadLength());
        } finally {
            b.release();
        }
    }

    @Test
    void fragmentFieldsAreDecoded() {
        Ipv4HeaderWriter.write(buf, 0, 0xb8, 28, 0xbeef, false, true, 1480, 3, Ipv4Header.PROTOCOL_ICMP, B, A);
        assertEquals(ParseError.NONE, ip.wrap(buf, 0, 28));
        assertFalse(ip.dontFragment());
        assertTrue(ip.moreFragments());
        assertTrue(ip.isFragment());
        assertFalse(ip.reservedFlag());
        assertEquals(1480, ip.fragmentOffset());
        assertEquals(0xbeef, ip.identification());
        assertEquals(3, ip.ttl());
        assertEquals(0xb8 >>> 2, ip.dscp());
        assertEquals(0, ip.ecn());
        assertEquals(B, ip.sourceAddress());
        assertEquals(A, ip.destinationAddress());
    }

    @Test
    void headerAtANonZeroOffsetParses() {
        ByteBuf b = Unpooled.buffer().writeZero(3).writeBytes(buf, 0, 28);
        try {
            assertEquals(ParseError.NONE, ip.wrap(b, 3, 28));
            assertEquals(23, ip.payloadOffset());
            assertEquals(A, ip.sourceAddress());
        } finally {
            b.release();
        }
    }
}
