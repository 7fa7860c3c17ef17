package dev.tuntcp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The per-packet path (parse, validate, checksums, options, build) allocates nothing (DESIGN §3).
 * Counts bytes allocated by this thread over many iterations with com.sun.management.ThreadMXBean;
 * not a timing test.
 */
class ParsePathAllocationTest {
    private static final int ITERATIONS = 100_000;
    /**
     * Direct buffers without leak tracking: at PARANOID every access of a tracked buffer records a
     * stack trace, which is the detector allocating, not the code under test.
     */
    private static final ByteBufAllocator UNTRACKED = new UnpooledByteBufAllocator(true, true);

    private final Ipv4Header ip = new Ipv4Header();
    private final TcpHeader tcp = new TcpHeader();
    private final TcpOptions options = new TcpOptions();
    private final SegmentBuilder builder = new SegmentBuilder();

    @Test
    void parseAndBuildAllocateNothingPerPacket() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        ByteBuf syn = UNTRACKED.directBuffer(60);
        syn.writeBytes(LinuxFixture.named("01-syn").bytes());
        ByteBuf out = UNTRACKED.directBuffer(128);
        try {
            long sink = 0;
            for (int i = 0; i < ITERATIONS; i++) { // warm up: let the JIT compile the path
                sink += once(syn, out);
            }
            long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < ITERATIONS; i++) {
                sink += once(syn, out);
            }
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            assertTrue(sink != 0);
            // A few hundred bytes of slack for the measurement itself; one allocation per packet
            // would be at least 16 B x 100k = 1.6 MB.
            assertTrue(allocated < 4096, "allocated " + allocated + " bytes over " + ITERATIONS + " packets");
        } finally {
            syn.release();
            out.release();
        }
    }

    private long once(ByteBuf syn, ByteBuf out) {
        if (ip.wrap(syn, 0, syn.writerIndex()) != ParseError.NONE
                || tcp.wrap(ip) != ParseError.NONE
                || tcp.verifyChecksum(ip.sourceAddress(), ip.destinationAddress()) != ParseError.NONE
                || tcp.readOptions(options) != ParseError.NONE) {
            throw new AssertionError("fixture no longer parses");
        }
        long v = tcp.seq() + tcp.sourcePort() + options.mss() + options.windowScale() + options.tsVal()
                + (options.sackPermitted() ? 1 : 0) + tcp.control().ordinal();
        out.clear();
        int n = builder.reset().addresses(ip.destinationAddress(), ip.sourceAddress()).identification(1)
                .ports(tcp.destinationPort(), tcp.sourcePort()).seq(12345).ack(tcp.seq() + 1)
                .flags(TcpFlags.SYN | TcpFlags.ACK).window(65535).options(options).write(out);
        assertEquals(60, n);
        return v + n;
    }
}
