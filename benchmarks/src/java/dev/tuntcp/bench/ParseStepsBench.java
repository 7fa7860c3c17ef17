package dev.tuntcp.bench;

import dev.tuntcp.wire.Ipv4Header;
import dev.tuntcp.wire.ParseError;
import dev.tuntcp.wire.TcpHeader;
import dev.tuntcp.wire.TcpOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
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

import java.util.concurrent.TimeUnit;

/**
 * Where {@link ParseBench#linuxSyn}'s time goes: the same packet and flyweights, one step added per
 * benchmark (IPv4 validation with its header checksum; then the TCP header; then the options; and
 * the field reads alone, over views wrapped once in set-up). Differences between neighbours are the
 * cost of a step; not a replacement for linuxSyn, which does all of it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ParseStepsBench {
    private final Ipv4Header ip = new Ipv4Header();
    private final TcpHeader tcp = new TcpHeader();
    private final TcpOptions options = new TcpOptions();
    private ByteBuf syn;
    private int synLength;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] bytes = ByteBufUtil.decodeHexDump(ParseBench.LINUX_SYN_HEX);
        synLength = bytes.length;
        syn = PooledByteBufAllocator.DEFAULT.directBuffer(synLength).writeBytes(bytes);
        if (headersAndOptions() != ParseError.NONE || options.mss() != 1460) {
            throw new IllegalStateException("the SYN does not parse");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        syn.release();
    }

    @Benchmark
    public ParseError ipv4() {
        return ip.wrap(syn, 0, synLength);
    }

    @Benchmark
    public ParseError ipv4Tcp() {
        ParseError error = ip.wrap(syn, 0, synLength);
        return error != ParseError.NONE ? error : tcp.wrap(ip);
    }

    @Benchmark
    public ParseError headersAndOptions() {
        ParseError error = ip.wrap(syn, 0, synLength);
        if (error != ParseError.NONE) {
            return error;
        }
        error = tcp.wrap(ip);
        return error != ParseError.NONE ? error : tcp.readOptions(options);
    }

    /** The 30 field reads and Blackhole consumes of linuxSyn, over the views set-up left wrapped. */
    @Benchmark
    public void fieldsOnly(Blackhole bh) {
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
        bh.consume(options.mss());
        bh.consume(options.sackPermitted());
        bh.consume(options.tsVal());
        bh.consume(options.tsEcr());
        bh.consume(options.windowScale());
        bh.consume(options.unknownCount());
    }
}
