package dev.tuntcp.bench;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole in-memory path (issue 9 item 4): {@link InMemoryBulk}, two complete stacks back to back
 * on a zero-delay SimLink in virtual time, one connection, bulk transfer from A to B. Everything a
 * TUN-backed stack does per segment except the read(2)/write(2) themselves: the writer's copy into
 * the send buffer, segment and IPv4 header build with both checksums, IPv4 and TCP parsing with
 * checksum verification, ACK processing, congestion control, the receive buffer and the reader's
 * read — on pooled direct buffers as in {@code serve}, with leak tracking off as in {@code serve}.
 *
 * <p>One operation moves {@value #CHUNK} bytes of application data to B's reader. Read the result as:
 * <ul>
 *   <li>{@code bytes} (aux counter): application bytes per second delivered to the reader; ×8 for
 *       bit/s;</li>
 *   <li>{@code segments} (aux counter): segments per second A sent (data; A sends no pure ACKs);</li>
 *   <li>{@code gc.alloc.rate.norm} under {@code -prof gc}: heap bytes allocated per operation;
 *       divided by the segments per operation ({@code segments / transfer}) it is the allocation per
 *       segment.</li>
 * </ul>
 * {@code mtu} 1500 is plain Ethernet (MSS 1460, 1448 with timestamps); 65535 gives 64 KiB segments,
 * the in-memory counterpart of TSO/GRO super-segments on a TUN with a vnet header. {@code receive}
 * READ is the copying {@code TcpChannel.read}, PAYLOAD the zero-copy {@code PayloadHandler}.
 *
 * <p>Run: {@code benchmarks/jmh.sh BulkTransferBench -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BulkTransferBench {
    static final int CHUNK = 1 << 20;

    @Param({"1500", "65535"})
    public int mtu;

    /** How B's application takes the data ({@link InMemoryBulk.Receive}): a copying read, or lent. */
    @Param({"READ", "PAYLOAD"})
    public InMemoryBulk.Receive receive;

    /**
     * {@code false}: every segment one MSS with both checksums computed and verified (a TUN without
     * offloads); {@code true}: the link offloads segmentation and checksums as {@code serve --offload}'s
     * TUN device does (SimLink.createWithOffload).
     */
    @Param({"false", "true"})
    public boolean offload;

    /** Per-second rates JMH reports next to the operation rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Rates {
        public long bytes;
        public long segments;

        @Setup(Level.Iteration)
        public void clear() {
            bytes = 0;
            segments = 0;
        }
    }

    private InMemoryBulk bulk;

    @Setup(Level.Trial)
    public void setUp() {
        // serve runs without leak tracking (TunHost): its records allocate by design.
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        bulk = new InMemoryBulk(mtu, PooledByteBufAllocator.DEFAULT, receive, offload);
        bulk.transfer(CHUNK); // handshake and the first window
    }

    @Benchmark
    public long transfer(Rates rates) {
        rates.segments += bulk.transfer(CHUNK);
        rates.bytes += CHUNK;
        return bulk.received();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        bulk.close();
    }
}
