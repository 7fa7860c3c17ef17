package dev.tuntcp.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.link.Netns;
import dev.tuntcp.testing.KernelTest;
import dev.tuntcp.testing.TestNamespace;
import dev.tuntcp.trace.SegmentEvent;
import dev.tuntcp.trace.TraceEvent;
import dev.tuntcp.wire.TcpFlags;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Linux kernel's TCP (curl, nc) against the stack's services on a TUN device, all inside a
 * namespace the test creates (DESIGN §5.4).
 */
@KernelTest
class KernelHttpEchoTest {
    private static final Duration LONG = Duration.ofSeconds(60);

    @Test
    void curlGetsThePageOverAGenuineHandshakeAndTeardown(TestNamespace ns) throws Exception {
        try (KernelPeerStack stack = new KernelPeerStack(ns)) {
            Netns.ExecResult r = ns.execOk("curl", "-sS", "--max-time", "20", "http://" + KernelPeerStack.STACK + "/");
            assertTrue(r.stdout().contains("tuntcp"), r.describe());
            // The kernel closes first with curl; wait for the stack's side of the teardown.
            stack.trace.await(e -> e instanceof SegmentEvent s && s.direction() == dev.tuntcp.trace.Direction.IN
                    && s.isAck() && !s.isFin() && s.stateBefore() == dev.tuntcp.trace.TraceState.LAST_ACK, Duration.ofSeconds(10));
            List<SegmentEvent> segments = segments(stack.trace.snapshot());
            System.out.println(render(stack.trace.snapshot()));
            assertEquals(1, count(segments, true, TcpFlags.SYN, TcpFlags.ACK), "exactly one SYN in: " + segments);
            assertEquals(1, count(segments, false, TcpFlags.SYN | TcpFlags.ACK, 0), "exactly one SYN/ACK out");
            SegmentEvent syn = first(segments, true, TcpFlags.SYN);
            SegmentEvent synAck = first(segments, false, TcpFlags.SYN | TcpFlags.ACK);
            assertEquals(syn.seq() + 1, synAck.ack(), "SYN/ACK acknowledges ISN+1");
            SegmentEvent finIn = first(segments, true, TcpFlags.FIN);
            SegmentEvent finOut = first(segments, false, TcpFlags.FIN);
            assertTrue(segments.stream().anyMatch(s -> !(s.direction() == dev.tuntcp.trace.Direction.IN) && s.isAck() && s.ack() == finIn.seq() + finIn.payloadLength() + 1),
                    "the kernel's FIN is acknowledged with its seq + 1");
            assertTrue(segments.stream().anyMatch(s -> (s.direction() == dev.tuntcp.trace.Direction.IN) && s.isAck() && s.ack() == finOut.seq() + finOut.payloadLength() + 1),
                    "our FIN is acknowledged with its seq + 1");
        }
    }

    @Test
    void curlFetchesTenMebibytesByteExact(TestNamespace ns) throws Exception {
        try (KernelPeerStack stack = new KernelPeerStack(ns)) {
            int n = 10 * 1024 * 1024;
            Netns.ExecResult r = ns.exec(LONG, "sh", "-c",
                    "curl -sS --max-time 50 http://" + KernelPeerStack.STACK + "/bytes/" + n + " | sha256sum");
            assertEquals(0, r.exitCode(), r.describe());
            assertEquals(sha256OfPattern(n), r.stdout().split(" ")[0], r.describe());
        }
    }

    @Test
    void curlPostEchoReturnsOneMebibyte(TestNamespace ns) throws Exception {
        try (KernelPeerStack stack = new KernelPeerStack(ns)) {
            Netns.ExecResult r = ns.exec(LONG, "sh", "-c",
                    "head -c 1048576 /dev/urandom > /tmp/tuntcp-post-" + ns.name() + " && "
                            + "curl -sS --max-time 50 --data-binary @/tmp/tuntcp-post-" + ns.name()
                            + " -H 'Content-Type: application/octet-stream' http://" + KernelPeerStack.STACK + "/echo"
                            + " | cmp - /tmp/tuntcp-post-" + ns.name() + "; rc=$?; rm -f /tmp/tuntcp-post-" + ns.name() + "; exit $rc");
            assertEquals(0, r.exitCode(), r.describe());
        }
    }

    @Test
    void ncRoundTripsTwoMebibytesThroughEcho(TestNamespace ns) throws Exception {
        try (KernelPeerStack stack = new KernelPeerStack(ns)) {
            String f = "/tmp/tuntcp-echo-" + ns.name();
            Netns.ExecResult r = ns.exec(LONG, "sh", "-c",
                    "head -c 2097152 /dev/urandom > " + f + " && nc -N -w 20 " + KernelPeerStack.STACK + " 7 < " + f
                            + " | cmp - " + f + "; rc=$?; rm -f " + f + "; exit $rc");
            assertEquals(0, r.exitCode(), r.describe());
        }
    }

    @Test
    void aClosedPortRefusesAtOnce(TestNamespace ns) throws Exception {
        try (KernelPeerStack stack = new KernelPeerStack(ns)) {
            long start = System.nanoTime();
            Netns.ExecResult r = ns.exec("curl", "-sS", "--max-time", "10", "http://" + KernelPeerStack.STACK + ":8081/");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(7, r.exitCode(), "curl's 'could not connect' exit code: " + r.describe());
            assertTrue(r.stderr().contains("refused") || r.stderr().contains("Couldn't connect"), r.describe());
            assertTrue(millis < 5000, "refused by RST, not by a timeout (took " + millis + " ms)");
        }
    }

    static String render(List<TraceEvent> events) {
        dev.tuntcp.trace.TraceLine line = new dev.tuntcp.trace.TraceLine();
        StringBuilder sb = new StringBuilder();
        for (TraceEvent e : dev.tuntcp.trace.StateFolding.fold(events)) {
            sb.append(line.format(e)).append('\n');
        }
        return sb.toString();
    }

    static List<SegmentEvent> segments(List<TraceEvent> events) {
        return events.stream().filter(e -> e instanceof SegmentEvent).map(e -> (SegmentEvent) e).toList();
    }

    private static long count(List<SegmentEvent> segments, boolean incoming, int flags, int without) {
        return segments.stream().filter(s -> (s.direction() == dev.tuntcp.trace.Direction.IN) == incoming && (s.flags() & flags) == flags
                && (s.flags() & without) == 0).count();
    }

    private static SegmentEvent first(List<SegmentEvent> segments, boolean incoming, int flags) {
        return segments.stream().filter(s -> (s.direction() == dev.tuntcp.trace.Direction.IN) == incoming && (s.flags() & flags) == flags)
                .findFirst().orElseThrow(() -> new AssertionError("no segment with flags " + flags + " in " + segments));
    }

    static String sha256OfPattern(int n) throws Exception {
        byte[] line = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < n; i += line.length) {
            md.update(line, 0, Math.min(line.length, n - i));
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
