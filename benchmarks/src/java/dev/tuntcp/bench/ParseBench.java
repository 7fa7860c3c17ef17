package dev.tuntcp.bench;

import dev.tuntcp.wire.Ipv4Address;
import dev.tuntcp.wire.Ipv4Header;
import dev.tuntcp.wire.ParseError;
import dev.tuntcp.wire.SegmentBuilder;
import dev.tuntcp.wire.TcpFlags;
import dev.tuntcp.wire.TcpHeader;
import dev.tuntcp.wire.TcpOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.pcap4j.packet.IllegalRawDataException;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.TcpMaximumSegmentSizeOption;
import org.pcap4j.packet.TcpPacket;
import org.pcap4j.packet.TcpSackPermittedOption;
import org.pcap4j.packet.TcpTimestampsOption;
import org.pcap4j.packet.TcpWindowScaleOption;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Parsing what the stack receives, from a pooled direct ByteBuf as the TUN device delivers it.
 *
 * <ul>
 *   <li>{@code linuxSyn}: a SYN the Linux kernel sent (captured in a namespace, the wire helper's
 *       fixture 01-syn): 20 B IPv4 + 40 B TCP with MSS, SACK-permitted, timestamps, NOP, window
 *       scale. Validates the IPv4 header including its checksum, reads every IPv4 and TCP header
 *       field, walks the options, and consumes everything.</li>
 *   <li>{@code pcap4jLinuxSyn}: the same bytes through pcap4j's {@code IpV4Packet.newPacket}
 *       (copied out of the ByteBuf first, as pcap4j only reads arrays), its IPv4 checksum check and
 *       the same fields from its {@code TcpPacket}.</li>
 *   <li>{@code dataSegment1500}: a 1500-byte data segment (IPv4 20 B, TCP 32 B with timestamps,
 *       1448 B payload): the same parse plus full TCP checksum verification over pseudo-header,
 *       header and payload.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ParseBench {
    /** 10.13.0.1:44916 → 10.13.0.2:8080 [S] seq 300104706 win 64240 <mss 1460,sackOK,TS 808889700 0,nop,wscale 10>. */
    static final String LINUX_SYN_HEX = "4500003c9d8a4000400689150a0d00010a0d0002"
            + "af741f9011e33c0200000000a002faf03e6b0000"
            + "020405b40402080a3036ad64000000000103030a";
    static final int DATA_SEGMENT_LENGTH = 1500;

    private final Ipv4Header ip = new Ipv4Header();
    private final TcpHeader tcp = new TcpHeader();
    private final TcpOptions options = new TcpOptions();
    private ByteBuf syn;
    private int synLength;
    private byte[] synArray;
    private ByteBuf data;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] bytes = ByteBufUtil.decodeHexDump(LINUX_SYN_HEX);
        synLength = bytes.length;
        syn = PooledByteBufAllocator.DEFAULT.directBuffer(synLength).writeBytes(bytes);
        synArray = new byte[synLength];
        data = PooledByteBufAllocator.DEFAULT.directBuffer(DATA_SEGMENT_LENGTH);
        buildDataSegment(data);
        checkSetUp();
    }

    private static void buildDataSegment(ByteBuf out) {
        byte[] payload = new byte[DATA_SEGMENT_LENGTH - 20 - 32];
        new SplittableRandom(9293).nextBytes(payload);
        ByteBuf payloadBuf = Unpooled.wrappedBuffer(payload);
        TcpOptions ts = new TcpOptions().timestamps(808_889_777, 1_234_567);
        new SegmentBuilder().addresses(Ipv4Address.of(10, 13, 0, 1), Ipv4Address.of(10, 13, 0, 2))
                .identification(0x9d8b).ports(44916, 8080).seq(300104707).ack(0x51c1e2a4)
                .flags(TcpFlags.ACK | TcpFlags.PSH).window(502).options(ts)
                .payload(payloadBuf, 0, payload.length).write(out);
        payloadBuf.release();
    }

    /** Fails the trial rather than timing a parse that does not succeed. */
    private void checkSetUp() {
        Blackhole bh = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        try {
            if (linuxSyn(bh) != ParseError.NONE || options.mss() != 1460 || options.windowScale() != 10
                    || tcp.seq() != 300104706 || dataSegment1500(bh) != ParseError.NONE
                    || tcp.payloadLength() != 1448 || pcap4jLinuxSyn(bh) != 1460) {
                throw new IllegalStateException("the benchmark packets do not parse as expected");
            }
        } catch (IllegalRawDataException e) {
            throw new IllegalStateException(e);
        } finally {
            bh.evaporate("Yes, I am Stephen Hawking, and know a thing or two about black holes.");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        syn.release();
        data.release();
    }

    @Benchmark
    public ParseError linuxSyn(Blackhole bh) {
        ParseError error = ip.wrap(syn, 0, synLength); // structure and header checksum (RFC 791, RFC 1071)
        if (error != ParseError.NONE) {
            return error;
        }
        consumeIpv4Fields(bh);
        error = tcp.wrap(ip);
        if (error != ParseError.NONE) {
            return error;
        }
        consumeTcpFields(bh);
        error = tcp.readOptions(options);
        consumeOptions(bh);
        return error;
    }

    // One method per layer, as the stack's input path is split (ip.Ipv4Input, tcp.TcpInput). They
    // used to be kept out of line (DONT_INLINE) because ~35 Netty getter chains overflowed C2's
    // inlining budget (DesiredMethodLimit); since the flyweights read each fixed header once in wrap
    // and a getter is a field load and a shift, everything inlines into one compiled piece
    // (checked with -XX:+PrintInlining) and the three calls are gone. See docs/benchmarks.md.
    private void consumeIpv4Fields(Blackhole bh) {
        bh.consume(ip.version());
        bh.consume(ip.headerLength());
        bh.consume(ip.tos());
        bh.consume(ip.totalLength());
        bh.consume(ip.identification());
        bh.consume(ip.reservedFlag());
        bh.consume(ip.dontFragment());
        bh.consume(ip.moreFragments());
        bh.consume(ip.fragmentOffset());
        bh.consume(ip.ttl());
        bh.consume(ip.protocol());
        bh.consume(ip.headerChecksum());
        bh.consume(ip.sourceAddress());
        bh.consume(ip.destinationAddress());
    }

    private void consumeTcpFields(Blackhole bh) {
        bh.consume(tcp.sourcePort());
        bh.consume(tcp.destinationPort());
        bh.consume(tcp.seq());
        bh.consume(tcp.ack());
        bh.consume(tcp.dataOffset());
        bh.consume(tcp.reserved());
        bh.consume(tcp.flags());
        bh.consume(tcp.window());
        bh.consume(tcp.checksum());
        bh.consume(tcp.urgentPointer());
    }

    private void consumeOptions(Blackhole bh) {
        bh.consume(options.mss());
        bh.consume(options.sackPermitted());
        bh.consume(options.tsVal());
        bh.consume(options.tsEcr());
        bh.consume(options.windowScale());
        bh.consume(options.unknownCount());
    }

    @Benchmark
    public int pcap4jLinuxSyn(Blackhole bh) throws IllegalRawDataException {
        syn.getBytes(0, synArray);
        IpV4Packet packet = IpV4Packet.newPacket(synArray, 0, synArray.length);
        IpV4Packet.IpV4Header h = packet.getHeader();
        bh.consume(h.hasValidChecksum(false));
        bh.consume(h.getVersion().value());
        bh.consume(h.getIhlAsInt());
        bh.consume(h.getTos().value());
        bh.consume(h.getTotalLengthAsInt());
        bh.consume(h.getIdentificationAsInt());
        bh.consume(h.getReservedFlag());
        bh.consume(h.getDontFragmentFlag());
        bh.consume(h.getMoreFragmentFlag());
        bh.consume(h.getFragmentOffset());
        bh.consume(h.getTtlAsInt());
        bh.consume(h.getProtocol().value());
        bh.consume(h.getHeaderChecksum());
        bh.consume(h.getSrcAddr());
        bh.consume(h.getDstAddr());
        TcpPacket.TcpHeader t = packet.get(TcpPacket.class).getHeader();
        bh.consume(t.getSrcPort().value());
        bh.consume(t.getDstPort().value());
        bh.consume(t.getSequenceNumber());
        bh.consume(t.getAcknowledgmentNumber());
        bh.consume(t.getDataOffsetAsInt());
        bh.consume(t.getReserved());
        bh.consume(t.getUrg());
        bh.consume(t.getAck());
        bh.consume(t.getPsh());
        bh.consume(t.getRst());
        bh.consume(t.getSyn());
        bh.consume(t.getFin());
        bh.consume(t.getWindowAsInt());
        bh.consume(t.getChecksum());
        bh.consume(t.getUrgentPointerAsInt());
        int mss = 0;
        for (TcpPacket.TcpOption option : t.getOptions()) {
            if (option instanceof TcpMaximumSegmentSizeOption) {
                mss = ((TcpMaximumSegmentSizeOption) option).getMaxSegSizeAsInt();
            } else if (option instanceof TcpSackPermittedOption) {
                bh.consume(true);
            } else if (option instanceof TcpTimestampsOption) {
                bh.consume(((TcpTimestampsOption) option).getTsValue());
                bh.consume(((TcpTimestampsOption) option).getTsEchoReply());
            } else if (option instanceof TcpWindowScaleOption) {
                bh.consume(((TcpWindowScaleOption) option).getShiftCountAsInt());
            } else {
                bh.consume(option.getKind().value());
            }
        }
        bh.consume(mss);
        return mss;
    }

    @Benchmark
    public ParseError dataSegment1500(Blackhole bh) {
        ParseError error = ip.wrap(data, 0, DATA_SEGMENT_LENGTH);
        if (error != ParseError.NONE) {
            return error;
        }
        int source = ip.sourceAddress();
        int destination = ip.destinationAddress();
        bh.consume(ip.identification());
        bh.consume(ip.isFragment());
        bh.consume(ip.ttl());
        bh.consume(ip.protocol());
        error = tcp.wrap(ip);
        if (error != ParseError.NONE) {
            return error;
        }
        error = tcp.verifyChecksum(source, destination); // RFC 9293 §3.1: pseudo-header, header, payload
        if (error != ParseError.NONE) {
            return error;
        }
        bh.consume(tcp.sourcePort());
        bh.consume(tcp.destinationPort());
        bh.consume(tcp.seq());
        bh.consume(tcp.ack());
        bh.consume(tcp.flags());
        bh.consume(tcp.window());
        bh.consume(tcp.payloadOffset());
        bh.consume(tcp.payloadLength());
        error = tcp.readOptions(options);
        bh.consume(options.tsVal());
        bh.consume(options.tsEcr());
        return error;
    }
}
