package dev.tuntcp.stack;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.bench.InMemoryBulk;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §3 / issue 9: heap allocated per segment on the whole in-memory path — two complete stacks
 * (IPv4, TCP, event loop) on a zero-delay SimLink, pooled direct buffers as in {@code serve}. The
 * same harness as {@code BulkTransferBench} ({@link InMemoryBulk}); this counts the bytes this thread
 * allocates over a bulk transfer (not its speed: that is JMH's).
 *
 * <p>Not yet exactly 0: about 2 KB per MiB moved at MTU 1500 (2.7 B per segment) and 330 B per MiB
 * at MTU 65535 (16 segments), the same in every MiB, so it is a per-transfer cost (the harness's
 * own condition lambda is 24 B of it) plus a little per packet in flight, which JFR's allocation
 * sampling is too coarse to place; the TCP layer alone allocates nothing
 * ({@code SteadyStateAllocationTest}). In a JVM where other tests ran first, call sites they
 * polluted raise it to ~16 B per segment. The bound is 8 KiB per MiB plus 8 B per segment
 * (docs/benchmarks.md "Per-segment cost").
 *
 * <p>Named {@code *AllocationGuardTest} so that surefire's {@code allocation-guards} execution runs it
 * in a fresh JVM: in the shared test JVM, call sites polluted by other tests defeat escape analysis.
 */
class InMemoryBulkAllocationGuardTest {
    private static final int MIB = 1 << 20;

    @Test
    void bulkTransferAllocatesAtMostAFewBytesPerSegment() {
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED); // leak records allocate by design
        try {
            for (int mtu : new int[] {1500, 65535}) {
                try (InMemoryBulk bulk = new InMemoryBulk(mtu, PooledByteBufAllocator.DEFAULT)) {
                    for (int i = 0; i < 300; i++) {
                        bulk.transfer(MIB); // warm up: handshake, JIT, pool caches
                    }
                    com.sun.management.ThreadMXBean mx =
                            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
                    long thread = Thread.currentThread().getId();
                    long segments = 0;
                    long before = mx.getThreadAllocatedBytes(thread);
                    for (int i = 0; i < 100; i++) {
                        segments += bulk.transfer(MIB);
                    }
                    long allocated = mx.getThreadAllocatedBytes(thread) - before;
                    System.out.printf("in-memory bulk, MTU %d: %d bytes allocated over %d segments (%.3f B/segment)%n",
                            mtu, allocated, segments, (double) allocated / segments);
                    assertTrue(segments >= 100L * MIB / (mtu - 40), "segments sent: " + segments);
                    // 8 KiB per MiB plus 8 B per segment: a 16-byte object per segment fails it.
                    assertTrue(allocated < 100 * 8192 + 8 * segments,
                            allocated + " bytes allocated over 100 MiB, " + segments + " segments");
                }
            }
        } finally {
            ResourceLeakDetector.setLevel(level);
        }
    }
}
