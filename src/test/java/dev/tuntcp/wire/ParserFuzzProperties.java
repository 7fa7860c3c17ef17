package dev.tuntcp.wire;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Arbitrary bytes of any length, at any offset, to every parser: nothing throws, and each result is
 * NONE or a reason from that parser's own family (issue 3 points 3 and 5).
 */
class ParserFuzzProperties {
    private static final List<LinuxFixture> FIXTURES = LinuxFixture.all();

    @Property(tries = 2000)
    void randomBytesNeverThrow(@ForAll @Size(max = 1600) byte[] bytes, @ForAll @IntRange(max = 8) int skip,
                               @ForAll @IntRange(min = -2, max = 1610) int length) {
        exerciseAll(bytes, skip, length);
    }

    /** Random bytes behind a valid-looking IPv4 header, so the TCP and ICMP parsers see them too. */
    @Property(tries = 2000)
    void randomBytesBehindAValidIpv4HeaderNeverThrow(@ForAll @Size(min = 20, max = 120) byte[] bytes,
                                                     @ForAll boolean icmp) {
        ByteBuf b = Unpooled.wrappedBuffer(bytes);
        try {
            b.setByte(0, 0x45);
            b.setShort(2, bytes.length);
            b.setByte(9, icmp ? Ipv4Header.PROTOCOL_ICMP : Ipv4Header.PROTOCOL_TCP);
            Ipv4HeaderWriter.updateChecksum(b, 0);
        } finally {
            b.release();
        }
        exerciseAll(bytes, 0, bytes.length);
    }

    @Provide
    Arbitrary<Integer> fixtureIndex() {
        return Arbitraries.integers().between(0, FIXTURES.size() - 1);
    }

    /** Real Linux packets with bytes overwritten at random. */
    @Property(tries = 2000)
    void corruptedLinuxPacketsNeverThrow(@ForAll("fixtureIndex") int which, @ForAll @IntRange(max = 200) int at,
                                         @ForAll byte value, @ForAll @IntRange(max = 200) int at2,
                                         @ForAll byte value2, @ForAll boolean fixIpChecksum) {
        byte[] bytes = FIXTURES.get(which).bytes();
        bytes[at % bytes.length] = value;
        bytes[at2 % bytes.length] = value2;
        if (fixIpChecksum && (bytes[0] & 0x0f) >= 5 && (bytes[0] & 0x0f) * 4 <= bytes.length) {
            ByteBuf b = Unpooled.wrappedBuffer(bytes);
            Ipv4HeaderWriter.updateChecksum(b, 0);
            b.release();
        }
        exerciseAll(bytes, 0, bytes.length);
    }

    private static void exerciseAll(byte[] bytes, int skip, int length) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            int offset = Math.min(skip, bytes.length);
            Ipv4Header ip = new Ipv4Header();
            ParseError ipError = ip.wrap(buf, offset, length);
            family(ipError, "IPV4_");
            if (ipError == ParseError.NONE) {
                readAll(ip);
                TcpHeader tcp = new TcpHeader();
                ParseError tcpError = tcp.wrap(ip);
                family(tcpError, "TCP_");
                if (tcpError == ParseError.NONE) {
                    readAll(tcp, ip.sourceAddress(), ip.destinationAddress());
                }
                family(new IcmpEcho().wrap(ip), "ICMP_");
                assertNotNull(TcpPacketRepr.parse(buf, offset, length).error());
            }
            TcpHeader tcp = new TcpHeader();
            ParseError tcpError = tcp.wrap(buf, offset, length);
            family(tcpError, "TCP_");
            if (tcpError == ParseError.NONE) {
                readAll(tcp, 0x0a0d0001, 0x0a0d0002);
            }
            int optionLength = Math.max(0, Math.min(length, bytes.length - offset));
            TcpOptions o = new TcpOptions();
            family(o.read(buf, offset, optionLength), "TCP_OPTION_");
            family(o.warning(), "TCP_OPTION_WINDOW_SCALE");
            family(TcpOptionList.parse(buf, offset, optionLength).error(), "TCP_OPTION_");
            assertNotNull(TcpOptionList.appendText(new StringBuilder(), buf, offset, optionLength));
            IcmpEcho icmp = new IcmpEcho();
            ParseError icmpError = icmp.wrap(buf, offset, length);
            family(icmpError, "ICMP_");
            if (icmpError == ParseError.NONE) {
                assertTrue(icmp.payloadLength() >= 0);
                icmp.type();
                icmp.identifier();
                icmp.sequence();
            }
            family(Ipv4Repr.parse(buf, offset, length).error(), "IPV4_");
            ParseError reprError = TcpRepr.parse(buf, offset, length, 1, 2).error();
            assertTrue(reprError == ParseError.NONE || reprError.name().startsWith("TCP_"), reprError.name());
        } finally {
            buf.release();
        }
    }

    private static void readAll(Ipv4Header ip) {
        assertTrue(ip.payloadLength() >= 0 && ip.payloadOffset() + ip.payloadLength() <= ip.buffer().writerIndex());
        ip.tos();
        ip.identification();
        ip.dontFragment();
        ip.moreFragments();
        ip.fragmentOffset();
        ip.ttl();
        ip.protocol();
        ip.headerChecksum();
        ip.sourceAddress();
        ip.destinationAddress();
        assertNotNull(Ipv4Repr.parse(ip));
    }

    private static void readAll(TcpHeader tcp, int src, int dst) {
        assertTrue(tcp.payloadLength() >= 0 && tcp.payloadOffset() + tcp.payloadLength() <= tcp.buffer().writerIndex());
        family(tcp.verifyChecksum(src, dst), "TCP_BAD_CHECKSUM");
        family(tcp.readOptions(new TcpOptions()), "TCP_OPTION_");
        assertNotNull(tcp.control());
        tcp.seq();
        tcp.ack();
        tcp.window();
        tcp.urgentPointer();
        tcp.sequenceLength();
        assertNotNull(TcpFormat.format(tcp));
        assertNotNull(TcpRepr.parse(tcp).error());
    }

    private static void family(ParseError e, String prefix) {
        assertNotNull(e);
        assertTrue(e == ParseError.NONE || e.name().startsWith(prefix), e + " is not " + prefix + "*");
    }
}
