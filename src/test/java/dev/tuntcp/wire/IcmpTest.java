package dev.tuntcp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class IcmpTest {
    private static final int A = Ipv4Address.of(10, 13, 0, 1);
    private static final int B = Ipv4Address.of(10, 13, 0, 2);

    /** An echo request as Linux ping sends it (type 8, id 0x1c2a, seq 1, 16 data bytes). */
    private static ByteBuf echoRequest() {
        ByteBuf b = Unpooled.buffer();
        b.writeZero(24);
        b.setIndex(0, 24);
        ByteBuf data = Unpooled.wrappedBuffer("0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        IcmpBuilder.writeMessage(b, 0, IcmpEcho.TYPE_ECHO_REQUEST, 0, 0x1c2a0001, data, 0, 16);
        data.release();
        return b;
    }

    @Test
    void echoRequestParses() {
        ByteBuf b = echoRequest();
        try {
            IcmpEcho icmp = new IcmpEcho();
            assertEquals(ParseError.NONE, icmp.wrap(b, 0, 24));
            assertTrue(icmp.isEchoRequest());
            assertEquals(0x1c2a, icmp.identifier());
            assertEquals(1, icmp.sequence());
            assertEquals(16, icmp.payloadLength());
            assertEquals(8, icmp.payloadOffset());
        } finally {
            b.release();
        }
    }

    @Test
    void fewerThanEightBytesIsTruncated() {
        ByteBuf b = echoRequest();
        try {
            assertEquals(ParseError.ICMP_TRUNCATED, new IcmpEcho().wrap(b, 0, 7));
            assertEquals(ParseError.ICMP_TRUNCATED, new IcmpEcho().wrap(b, 20, 8));
        } finally {
            b.release();
        }
    }

    @Test
    void badChecksumIsRejected() {
        ByteBuf b = echoRequest();
        try {
            b.setByte(23, 'x');
            assertEquals(ParseError.ICMP_BAD_CHECKSUM, new IcmpEcho().wrap(b, 0, 24));
        } finally {
            b.release();
        }
    }

    @Test
    void echoReplyMirrorsTheRequest() {
        ByteBuf req = echoRequest();
        ByteBuf out = Unpooled.buffer();
        try {
            IcmpEcho request = new IcmpEcho();
            assertEquals(ParseError.NONE, request.wrap(req, 0, 24));
            int n = IcmpBuilder.writeEchoReply(out, B, A, 99, request);
            assertEquals(44, n);
            Ipv4Header ip = new Ipv4Header();
            assertEquals(ParseError.NONE, ip.wrap(out, 0, n));
            assertEquals(Ipv4Header.PROTOCOL_ICMP, ip.protocol());
            assertEquals(B, ip.sourceAddress());
            assertEquals(A, ip.destinationAddress());
            IcmpEcho reply = new IcmpEcho();
            assertEquals(ParseError.NONE, reply.wrap(ip));
            assertTrue(reply.isEchoReply());
            assertEquals(0x1c2a, reply.identifier());
            assertEquals(1, reply.sequence());
            assertEquals(Hex.of(req, 8, 16), Hex.of(out, reply.payloadOffset(), reply.payloadLength()));
        } finally {
            req.release();
            out.release();
        }
    }

    @Test
    void portUnreachableQuotesHeaderPlusEightBytes() {
        ByteBuf offending = Unpooled.buffer();
        ByteBuf out = Unpooled.buffer();
        try {
            TcpPacketRepr.of(A, B, 5, TcpRepr.of(40000, 9999, 1, 0, TcpFlags.SYN, 64240)
                    .withPayload(new byte[30])).emit(offending);
            int n = IcmpBuilder.writeDestinationUnreachable(out, B, A, 1, IcmpBuilder.CODE_PORT_UNREACHABLE, 0,
                    offending, 0, offending.readableBytes());
            assertEquals(20 + 8 + 28, n);
            Ipv4Header ip = new Ipv4Header();
            IcmpEcho icmp = new IcmpEcho();
            assertEquals(ParseError.NONE, ip.wrap(out, 0, n));
            assertEquals(ParseError.NONE, icmp.wrap(ip));
            assertEquals(IcmpEcho.TYPE_DESTINATION_UNREACHABLE, icmp.type());
            assertEquals(IcmpBuilder.CODE_PORT_UNREACHABLE, icmp.code());
            assertEquals(0, icmp.restOfHeader());
            assertEquals(Hex.of(offending, 0, 28), Hex.of(out, icmp.payloadOffset(), icmp.payloadLength()));
            // The quoted header is itself a valid IPv4 header whose ports we can read back.
            Ipv4Header quoted = new Ipv4Header();
            assertEquals(ParseError.IPV4_TOTAL_LENGTH_BEYOND_BUFFER, quoted.wrap(out, icmp.payloadOffset(), 28));
            assertEquals(9999, out.getUnsignedShort(icmp.payloadOffset() + 22));
        } finally {
            offending.release();
            out.release();
        }
    }

    @Test
    void fragmentationNeededCarriesTheNextHopMtu() {
        ByteBuf offending = Unpooled.buffer();
        ByteBuf out = Unpooled.buffer();
        try {
            TcpPacketRepr.of(A, B, 5, TcpRepr.of(1, 2, 3, 4, TcpFlags.ACK, 5)).emit(offending);
            IcmpBuilder.writeDestinationUnreachable(out, B, A, 1, IcmpBuilder.CODE_FRAGMENTATION_NEEDED, 1280,
                    offending, 0, offending.readableBytes());
            IcmpEcho icmp = new IcmpEcho();
            assertEquals(ParseError.NONE, icmp.wrap(out, 20, out.readableBytes() - 20));
            assertEquals(1280, icmp.restOfHeader());
            assertEquals(28, icmp.payloadLength());
        } finally {
            offending.release();
            out.release();
        }
    }

    @Test
    void shortOffendingDatagramIsQuotedWhole() {
        ByteBuf offending = Unpooled.wrappedBuffer(new byte[] {0x45, 0, 0, 12});
        assertEquals(4, IcmpBuilder.quoteLength(offending, 0, 4));
        assertEquals(0, IcmpBuilder.quoteLength(offending, 0, 0));
        offending.release();
    }
}
