package dev.tuntcp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden tests on segments the Linux kernel sent (fixtures/capture.sh): our parse must yield exactly
 * the fields tshark decoded, both checksums must verify, the value types must re-emit the same bytes,
 * and our trace text must say what tcpdump says.
 */
class LinuxGoldenTest {
    static List<LinuxFixture> fixtures() {
        return LinuxFixture.all();
    }

    @Test
    void fixturesCoverEverySegmentKind() {
        Set<String> roles = fixtures().stream().map(LinuxFixture::role).collect(Collectors.toSet());
        assertTrue(roles.containsAll(Set.of("syn", "syn-ack", "ack", "data", "fin", "rst-ack")), roles.toString());
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void ipv4FieldsMatchTshark(LinuxFixture f) {
        ByteBuf buf = f.buffer();
        try {
            Ipv4Header ip = new Ipv4Header();
            assertEquals(ParseError.NONE, ip.wrap(buf, 0, buf.readableBytes()));
            assertEquals(1, f.number("ip.checksum.status"), "tshark validated the IPv4 checksum");
            assertEquals(f.number("ip.version"), ip.version());
            assertEquals(f.number("ip.hdr_len"), ip.headerLength());
            assertEquals(f.number("ip.dsfield"), ip.tos());
            assertEquals(f.number("ip.len"), ip.totalLength());
            assertEquals(f.number("ip.id"), ip.identification());
            assertEquals(f.number("ip.flags.df") == 1, ip.dontFragment());
            assertEquals(f.number("ip.flags.mf") == 1, ip.moreFragments());
            assertEquals(f.number("ip.frag_offset"), ip.fragmentOffset());
            assertEquals(f.number("ip.ttl"), ip.ttl());
            assertEquals(f.number("ip.proto"), ip.protocol());
            assertEquals(f.number("ip.checksum"), ip.headerChecksum());
            assertEquals(Ipv4Address.parse(f.get("ip.src")), ip.sourceAddress());
            assertEquals(Ipv4Address.parse(f.get("ip.dst")), ip.destinationAddress());
            assertEquals(f.number("ip.len") - f.number("ip.hdr_len"), ip.payloadLength());
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void tcpFieldsMatchTsharkAndChecksumVerifies(LinuxFixture f) {
        ByteBuf buf = f.buffer();
        try {
            Ipv4Header ip = new Ipv4Header();
            TcpHeader tcp = new TcpHeader();
            assertEquals(ParseError.NONE, ip.wrap(buf, 0, buf.readableBytes()));
            assertEquals(ParseError.NONE, tcp.wrap(ip));
            assertEquals(1, f.number("tcp.checksum.status"), "tshark validated the TCP checksum");
            assertEquals(ParseError.NONE, tcp.verifyChecksum(ip.sourceAddress(), ip.destinationAddress()));
            assertEquals(ParseError.TCP_BAD_CHECKSUM, tcp.verifyChecksum(ip.sourceAddress(), ip.sourceAddress()));
            assertEquals(f.number("tcp.srcport"), tcp.sourcePort());
            assertEquals(f.number("tcp.dstport"), tcp.destinationPort());
            assertEquals(f.number("tcp.seq_raw"), Integer.toUnsignedLong(tcp.seq()));
            assertEquals(f.number("tcp.ack_raw"), Integer.toUnsignedLong(tcp.ack()));
            assertEquals(f.number("tcp.hdr_len"), tcp.headerLength());
            assertEquals(f.number("tcp.flags"), tcp.flags());
            assertEquals(f.number("tcp.window_size_value"), tcp.window());
            assertEquals(f.number("tcp.checksum"), tcp.checksum());
            assertEquals(f.number("tcp.urgent_pointer"), tcp.urgentPointer());
            assertEquals(f.number("tcp.len"), tcp.payloadLength());
            assertTrue(tcp.control().isLegal(), "the kernel sends only legal flag combinations");
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void optionsMatchTshark(LinuxFixture f) {
        ByteBuf buf = f.buffer();
        try {
            TcpHeader tcp = wrapTcp(buf);
            TcpOptions o = new TcpOptions();
            assertEquals(ParseError.NONE, tcp.readOptions(o));
            assertEquals(ParseError.NONE, o.warning());
            assertEquals(f.has("tcp.options.mss_val"), o.hasMss());
            if (o.hasMss()) {
                assertEquals(f.number("tcp.options.mss_val"), o.mss());
            }
            assertEquals(f.has("tcp.options.wscale.shift"), o.hasWindowScale());
            if (o.hasWindowScale()) {
                assertEquals(f.number("tcp.options.wscale.shift"), o.windowScale());
            }
            assertEquals(f.has("tcp.options.timestamp.tsval"), o.hasTimestamps());
            if (o.hasTimestamps()) {
                assertEquals(f.number("tcp.options.timestamp.tsval"), Integer.toUnsignedLong(o.tsVal()));
                assertEquals(f.number("tcp.options.timestamp.tsecr"), Integer.toUnsignedLong(o.tsEcr()));
            }
            List<Integer> kinds = f.has("tcp.option_kind")
                    ? Arrays.stream(f.get("tcp.option_kind").split(",")).map(Integer::valueOf).collect(Collectors.toList())
                    : List.of();
            assertEquals(kinds.contains(TcpOptions.KIND_SACK_PERMITTED), o.sackPermitted());
            List<TcpOption> list = TcpOptionList.parse(buf, tcp.optionsOffset(), tcp.optionsLength()).orThrow();
            assertEquals(kinds, list.stream().map(TcpOption::kind).collect(Collectors.toList()));
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void valueTypesReEmitTheKernelsBytes(LinuxFixture f) {
        ByteBuf buf = f.buffer();
        ByteBuf out = io.netty.buffer.Unpooled.buffer();
        try {
            TcpPacketRepr packet = TcpPacketRepr.parse(buf, 0, buf.readableBytes()).orThrow();
            packet.emit(out);
            assertEquals(f.get("hex"), Hex.of(out, 0, out.readableBytes()));
        } finally {
            buf.release();
            out.release();
        }
    }

    private static final Pattern TCPDUMP = Pattern.compile(
            "Flags \\[([^\\]]*)\\](?:, seq (\\d+)(?::(\\d+))?)?(?:, ack (\\d+))?, win (\\d+)"
                    + "(?:, options \\[([^\\]]*)\\])?, length (\\d+)");

    /** Our trace line says what tcpdump says (tcpdump spells timestamps "TS val A ecr B"). */
    @ParameterizedTest
    @MethodSource("fixtures")
    void traceTextAgreesWithTcpdump(LinuxFixture f) {
        ByteBuf buf = f.buffer();
        try {
            Ipv4Header ip = new Ipv4Header();
            TcpHeader tcp = new TcpHeader();
            ip.wrap(buf, 0, buf.readableBytes());
            tcp.wrap(ip);
            Matcher m = TCPDUMP.matcher(f.get("tcpdump"));
            assertTrue(m.find(), f.get("tcpdump"));
            String ours = TcpFormat.format(ip, tcp);
            assertTrue(ours.startsWith(Ipv4Address.toString(ip.sourceAddress()) + ":" + tcp.sourcePort() + " > "), ours);
            assertTrue(ours.contains("[" + m.group(1) + "] "), ours);
            if (m.group(2) != null) {
                String seq = m.group(3) == null ? m.group(2) : m.group(2) + ":" + m.group(3);
                assertTrue(ours.contains(" seq " + seq), ours);
            }
            if (m.group(4) != null) {
                assertTrue(ours.contains(" ack " + m.group(4)), ours);
            } else {
                assertFalse(ours.contains(" ack "), ours);
            }
            assertTrue(ours.contains(" win " + m.group(5)), ours);
            if (m.group(6) != null) {
                String options = m.group(6).replaceAll("TS val (\\d+) ecr (\\d+)", "TS $1 $2");
                assertTrue(ours.contains(" <" + options + ">"), ours + " vs " + options);
            } else {
                assertFalse(ours.contains("<"), ours);
            }
            int length = Integer.parseInt(m.group(7));
            assertEquals(length > 0, ours.endsWith(" length " + length), ours);
        } finally {
            buf.release();
        }
    }

    @Test
    void linuxSynReadsAsTheDesignTraceExample() {
        ByteBuf buf = LinuxFixture.named("01-syn").buffer();
        try {
            String text = TcpFormat.format(wrapTcp(buf));
            assertEquals("[S] seq 300104706 win 64240 <mss 1460,sackOK,TS 808889700 0,nop,wscale 10>", text);
        } finally {
            buf.release();
        }
    }

    private static TcpHeader wrapTcp(ByteBuf buf) {
        Ipv4Header ip = new Ipv4Header();
        TcpHeader tcp = new TcpHeader();
        assertEquals(ParseError.NONE, ip.wrap(buf, 0, buf.readableBytes()));
        assertEquals(ParseError.NONE, tcp.wrap(ip));
        return tcp;
    }
}
