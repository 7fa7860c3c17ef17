package dev.tuntcp.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.app.ServiceCounter;
import dev.tuntcp.app.StandardServices;
import dev.tuntcp.link.Netns;
import dev.tuntcp.link.PeerAddress;
import dev.tuntcp.stack.TunHost;
import dev.tuntcp.tcp.TcpConfig;
import dev.tuntcp.tcp.TcpStat;
import dev.tuntcp.testing.KernelTest;
import dev.tuntcp.testing.TestNamespace;
import dev.tuntcp.wire.Ipv4Address;
import io.netty.util.ResourceLeakDetector;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 "0 B allocated per segment", over a real TUN: the stack as {@code serve} runs it (TunHost,
 * its loop on its own thread, the standard services) in a namespace the test creates, the kernel's
 * nc sending a bulk stream to the discard service and curl fetching one from HTTP, write(2) on the
 * device's writer thread as in serve. It counts the heap bytes the loop and the writer thread
 * allocate per round. Each round opens two connections, and a connection
 * costs its buffers (an HTTP connection's 256 KiB send and receive rings: ~540 KB per round), so
 * what is guarded is the difference between a round of 2 × 128 MB and one of 2 × 64 MB: the extra
 * ~60 000 segments must cost at most a fixed {@value #BUDGET} bytes — one 16-byte object per hundred
 * segments would exceed it.
 *
 * <p>Named {@code *AllocationKernelTest}: surefire's {@code allocation-guards} execution runs it in
 * a fresh JVM (call sites polluted by other tests defeat escape analysis).
 */
@KernelTest
class ServeBulkAllocationKernelTest {
    private static final String STACK = "10.13.0.2";
    private static final long BYTES = 64L << 20;
    /** Bytes the loop may allocate for the extra 2 × 64 MB of a long round over a short one. */
    private static final long BUDGET = 16 * 1024;

    @Test
    void moreSegmentsCostNoMoreAllocation(TestNamespace ns) throws Exception {
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED); // as serve runs (TunHost)
        try (TunHost host = ns.call(() -> TunHost.open("tt0", Ipv4Address.parse(STACK), PeerAddress.parse("10.13.0.1/24"),
                0, new TcpConfig(), null))) {
            host.device().startWriterThread(); // as serve runs it: write(2) on the writer thread
            Thread loop = host.loop().start("serve-bulk-" + ns.name());
            Thread[] threads = {loop, writerThread(host)};
            host.call(() -> {
                StandardServices.install(host.tcp(), host.counters());
                return null;
            });
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            round(ns, host, mx, threads, BYTES); // warm-up: JIT, pool, receive-buffer autotuning
            StringBuilder rounds = new StringBuilder();
            long least = Long.MAX_VALUE;
            long moved = BYTES;
            for (int pair = 0; pair < 3 && least > BUDGET; pair++) {
                long[] shortRound = round(ns, host, mx, threads, BYTES);
                long[] longRound = round(ns, host, mx, threads, 2 * BYTES);
                moved += 3 * BYTES;
                long extra = longRound[0] - shortRound[0];
                rounds.append(String.format(" %d B / %d segments vs %d B / %d segments;",
                        shortRound[0], shortRound[1], longRound[0], longRound[1]));
                least = Math.min(least, extra);
            }
            System.out.println("serve bulk over TUN, loop and writer threads allocated (2 x 64 MB vs 2 x 128 MB):" + rounds);
            assertTrue(least <= BUDGET, "the extra 2 x 64 MB allocated more than " + BUDGET + " B:" + rounds);
            long discarded = host.call(() -> host.counters().get(ServiceCounter.DISCARD_BYTES));
            assertEquals(moved, discarded, "bytes the discard service counted");
        } finally {
            ResourceLeakDetector.setLevel(level);
        }
    }

    /** One round of {@code bytes} each way; returns the bytes {@code threads} allocated and the segments. */
    private static long[] round(TestNamespace ns, TunHost host, com.sun.management.ThreadMXBean mx, Thread[] threads,
                                long bytes) throws Exception {
        long segmentsBefore = segments(host);
        long before = allocated(mx, threads);
        bulk(ns, bytes);
        long allocated = allocated(mx, threads) - before;
        return new long[] {allocated, segments(host) - segmentsBefore};
    }

    private static long allocated(com.sun.management.ThreadMXBean mx, Thread[] threads) {
        long sum = 0;
        for (Thread t : threads) {
            sum += mx.getThreadAllocatedBytes(t.getId());
        }
        return sum;
    }

    /** The device's writer thread (TunDevice.startWriterThread names it tuntcp-writer-DEVICE). */
    private static Thread writerThread(TunHost host) {
        String name = "tuntcp-writer-" + host.device().name();
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no thread " + name));
    }

    private static long segments(TunHost host) throws Exception {
        return host.call(() -> host.counters().get(TcpStat.SEGMENTS_IN) + host.counters().get(TcpStat.SEGMENTS_OUT));
    }

    /** {@code bytes} from nc to discard (port 9), then {@code bytes} from HTTP to curl. */
    private static void bulk(TestNamespace ns, long bytes) {
        Netns.ExecResult in = ns.exec(Duration.ofSeconds(120), "sh", "-c",
                "head -c " + bytes + " /dev/zero | nc -N -w 30 " + STACK + " 9");
        assertEquals(0, in.exitCode(), in.describe());
        Netns.ExecResult out = ns.exec(Duration.ofSeconds(120), "sh", "-c",
                "curl -sS --max-time 100 http://" + STACK + "/bytes/" + bytes + " | wc -c");
        assertEquals(0, out.exitCode(), out.describe());
        assertEquals(String.valueOf(bytes), out.stdout().trim(), out.describe());
    }
}
