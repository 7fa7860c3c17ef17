package dev.tuntcp.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.link.Netns;
import dev.tuntcp.testing.KernelTest;
import dev.tuntcp.testing.TestNamespace;
import dev.tuntcp.trace.StateChange;
import dev.tuntcp.trace.TraceState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel's curl and nc in numbers against the stack's services (DESIGN §5.4, issue 5): many
 * connections one after another and at once, a bulk upload to discard and a bounded read of
 * chargen. Every loop is bounded in count and time.
 */
@KernelTest
class KernelLoadTest {
    private static final String STACK = KernelPeerStack.STACK;
    private static final Duration LONG = Duration.ofSeconds(90);

    /** Waits until {@code n} of the stack's connections have reached CLOSED (the passive close's end). */
    private static void awaitClosed(KernelPeerStack stack, int n) {
        AtomicInteger closed = new AtomicInteger();
        assertTrue(stack.trace.await(e -> e instanceof StateChange sc && sc.to() == TraceState.CLOSED
                && closed.incrementAndGet() == n, Duration.ofSeconds(20)).isPresent(),
                "only " + closed.get() + " of " + n + " connections closed");
    }

    @Test
    void aHundredSequentialCurlsAllSucceed(TestNamespace ns) throws Exception {
        try (KernelPeerStack stack = new KernelPeerStack(ns)) {
            Netns.ExecResult r = ns.exec(LONG, "sh", "-c",
                    "ok=0; for i in $(seq 100); do"
                            + " c=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 10 http://" + STACK + "/);"
                            + " [ \"$c\" = 200 ] && ok=$((ok+1)); done; echo $ok");
            assertEquals("100", r.stdout().strip(), r.describe());
            awaitClosed(stack, 100);
            assertEquals(100L, stack.counters().get("TcpStat.PASSIVE_OPENS"), "one connection per curl");
            assertEquals(100L, stack.counters().get("ServiceCounter.HTTP_REQUESTS"));
        }
    }

    @Test
    void fortyParallelCurlsAllSucceed(TestNamespace ns) throws Exception {
        try (KernelPeerStack stack = new KernelPeerStack(ns)) {
            Netns.ExecResult r = ns.exec(LONG, "sh", "-c",
                    "seq 40 | xargs -P 40 -I{} curl -sS -o /dev/null -w '%{http_code} %{size_download}\\n'"
                            + " --max-time 30 http://" + STACK + "/bytes/200000");
            assertEquals(0, r.exitCode(), r.describe());
            assertEquals(40, r.stdout().lines().filter("200 200000"::equals).count(), r.describe());
            awaitClosed(stack, 40);
            assertEquals(40L, stack.counters().get("TcpStat.PASSIVE_OPENS"));
        }
    }

    @Test
    void ncUploadsFiftyMegabytesToDiscard(TestNamespace ns) throws Exception {
        try (KernelPeerStack stack = new KernelPeerStack(ns)) {
            Netns.ExecResult r = ns.exec(LONG, "sh", "-c",
                    "head -c 50000000 /dev/zero | nc -N -w 30 " + STACK + " 9");
            assertEquals(0, r.exitCode(), r.describe());
            // nc -N waits for the service's FIN, which follows only after it has read to our FIN.
            assertEquals(50_000_000L, stack.counters().get("ServiceCounter.DISCARD_BYTES"));
        }
    }

    /**
     * RFC 864: lines of 72 printable characters and CR LF, each line starting one character further
     * along the 95 printable ASCII characters than the one before (the RFC's sample starts with
     * '!'). The reader hangs up after a megabyte (nc dies of SIGPIPE, the kernel resets the
     * connection) and the stack carries on serving others.
     */
    @Test
    void chargenStreamsTheRfc864Pattern(TestNamespace ns, @TempDir Path dir) throws Exception {
        Path got = dir.resolve("chargen");
        try (KernelPeerStack stack = new KernelPeerStack(ns)) {
            Netns.ExecResult r = ns.exec(LONG, "sh", "-c",
                    "nc -d -w 20 " + STACK + " 19 | head -c 1000000 > " + got);
            assertEquals(0, r.exitCode(), r.describe());
            byte[] bytes = Files.readAllBytes(got);
            assertEquals(1_000_000, bytes.length);
            for (int i = 0; i < bytes.length; i++) {
                int line = i / 74;
                int column = i % 74;
                int expected = column == 72 ? '\r' : column == 73 ? '\n' : ' ' + (line + 1 + column) % 95;
                if (bytes[i] != expected) {
                    throw new AssertionError("byte " + i + " (line " + line + ", column " + column + ") is "
                            + bytes[i] + ", RFC 864 wants " + expected + ": "
                            + new String(bytes, Math.max(0, i - 80), Math.min(160, bytes.length - Math.max(0, i - 80)),
                            StandardCharsets.US_ASCII));
                }
            }
            Netns.ExecResult after = ns.execOk("curl", "-sS", "--max-time", "10", "http://" + STACK + "/");
            assertTrue(after.stdout().contains("tuntcp"), "the stack serves on after the reset: " + after.describe());
        }
    }
}
