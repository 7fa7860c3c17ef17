package dev.tuntcp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.testing.Rfc9293;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SegmentBuilderTest {
    private static final int A = Ipv4Address.of(10, 13, 0, 1);
    private static final int B = Ipv4Address.of(10, 13, 0, 2);

    @Test
    @Rfc9293({"MUST-2", "MUST-68"})
    void buildsSynThatParsesBackWithBothChecksums() {
        TcpOptions opts = new TcpOptions().mss(1460).sackPermitted(true).timestamps(991, 0).windowScale(7);
        ByteBuf out = Unpooled.buffer();
        try {
            int n = new SegmentBuilder().addresses(A, B).identification(0x1234).ports(45678, 80)
                    .seq(0xd4e5f652).flags(TcpFlags.SYN).window(64240).options(opts).write(out);
            assertEquals(60, n);
            assertEquals(60, out.readableBytes());
            Ipv4Header ip = new Ipv4Header();
            assertEquals(ParseError.NONE, ip.wrap(out, 0, n));
            assertEquals(A, ip.sourceAddress());
            assertEquals(B, ip.destinationAddress());
            assertEquals(0x1234, ip.identification());
            assertEquals(64, ip.ttl());
            assertTrue(ip.dontFragment());
            assertFalse(ip.moreFragments());
            assertEquals(Ipv4Header.PROTOCOL_TCP, ip.protocol());
            TcpHeader tcp = new TcpHeader();
            assertEquals(ParseError.NONE, tcp.wrap(ip));
            assertEquals(ParseError.NONE, tcp.verifyChecksum(A, B));
            assertEquals(45678, tcp.sourcePort());
            assertEquals(80, tcp.destinationPort());
            assertEquals(0xd4e5f652, tcp.seq());
            assertEquals(TcpFlags.SYN, tcp.flags());
            assertEquals(TcpControl.SYN, tcp.control());
            assertEquals(64240, tcp.window());
            assertEquals(40, tcp.headerLength());
            assertEquals(1, tcp.sequenceLength());
            TcpOptions read = new TcpOptions();
            assertEquals(ParseError.NONE, tcp.readOptions(read));
            assertEquals(1460, read.mss());
            assertTrue(read.sackPermitted());
            assertEquals(991, read.tsVal());
            assertEquals(7, read.windowScale());
            // Linux layout: mss, sackOK+TS, nop, wscale
            assertEquals("020405b4" + "0402080a000003df00000000" + "01030307", Hex.of(out, 40, 20));
        } finally {
            out.release();
        }
    }

    @Test
    @Rfc9293("MUST-2")
    void copiesPayloadRangeAndChecksumsIt() {
        ByteBuf data = Unpooled.copiedBuffer("xxhello", StandardCharsets.US_ASCII);
        ByteBuf out = Unpooled.buffer();
        try {
            int n = new SegmentBuilder().addresses(B, A).ports(80, 45678).seq(1).ack(2)
                    .flags(TcpFlags.PSH | TcpFlags.ACK).window(502).payload(data, 2, 5).write(out);
            assertEquals(45, n);
            Ipv4Header ip = new Ipv4Header();
            TcpHeader tcp = new TcpHeader();
            assertEquals(ParseError.NONE, ip.wrap(out, 0, n));
            assertEquals(ParseError.NONE, tcp.wrap(ip));
            assertEquals(ParseError.NONE, tcp.verifyChecksum(B, A));
            assertEquals(ParseError.TCP_BAD_CHECKSUM, tcp.verifyChecksum(A, A));
            assertEquals(5, tcp.payloadLength());
            assertEquals("hello", out.toString(tcp.payloadOffset(), 5, StandardCharsets.US_ASCII));
            out.setByte(tcp.payloadOffset(), 'j');
            assertEquals(ParseError.TCP_BAD_CHECKSUM, tcp.verifyChecksum(B, A));
        } finally {
            out.release();
            data.release();
        }
    }
}
