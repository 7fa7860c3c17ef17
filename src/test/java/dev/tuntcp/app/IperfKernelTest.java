package dev.tuntcp.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.link.Netns;
import dev.tuntcp.testing.KernelTest;
import dev.tuntcp.testing.RequiredTools;
import dev.tuntcp.testing.TestNamespace;
import dev.tuntcp.testing.TuntcpJvm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The real iperf3 client (unmodified, from the Debian package) against {@code tuntcp serve} on a TUN
 * device in a namespace this test creates ({@code tt-ipf-…}): the stack receiving, sending
 * ({@code -R}, also with a byte budget {@code -n}) and with two parallel streams, each with {@code -J};
 * the byte counts iperf3 reports
 * must be the ones the stack counted. An unsupported option ({@code -u}) must end in iperf3's error
 * message within a bounded time, never a hang.
 */
@KernelTest
class IperfKernelTest {
    private static final String STACK = "10.13.0.2";
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(40);

    /** serve in {@code ns}; returns once it is serving. */
    private static TestNamespace.BackgroundProcess serve(TestNamespace ns) throws InterruptedException {
        TestNamespace.BackgroundProcess serve = ns.start(TuntcpJvm.command(List.of(),
                "serve", "--tun", "tt0", "--addr", STACK, "--peer", "10.13.0.1/24").toArray(String[]::new));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!serve.stdout().contains("tuntcp: serving")) {
            if (!serve.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("serve did not come up\nstdout: " + serve.stdout() + "\nstderr: " + serve.stderr());
            }
            Thread.sleep(50); // polling another process's output; there is nothing to wait on
        }
        return serve;
    }

    /** {@code iperf3 -c STACK -J args…}: its JSON report, after checking it exited 0 without an error. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> iperf3(TestNamespace ns, String... args) {
        List<String> argv = new ArrayList<>(List.of("timeout", String.valueOf(CLIENT_TIMEOUT.toSeconds() - 5),
                "iperf3", "-c", STACK, "-J"));
        argv.addAll(List.of(args));
        Netns.ExecResult r = ns.exec(CLIENT_TIMEOUT, argv.toArray(String[]::new));
        assertEquals(0, r.exitCode(), "iperf3 " + String.join(" ", args) + ": " + r.describe());
        IperfJson.Parsed report = IperfJson.parse(r.stdout());
        assertTrue(report.ok(), "iperf3 -J printed JSON: " + report.error() + "\n" + r.stdout());
        Map<String, Object> top = (Map<String, Object>) report.value();
        assertFalse(top.containsKey("error"), "iperf3 reported an error: " + top.get("error"));
        return top;
    }

    @SuppressWarnings("unchecked")
    private static long bytes(Map<String, Object> report, String sum) {
        Map<String, Object> end = (Map<String, Object>) report.get("end");
        Map<String, Object> s = (Map<String, Object>) end.get(sum);
        return ((Number) s.get("bytes")).longValue();
    }

    @SuppressWarnings("unchecked")
    private static int streams(Map<String, Object> report) {
        return ((List<Object>) ((Map<String, Object>) report.get("end")).get("streams")).size();
    }

    private static double gbits(Map<String, Object> report, String sum) {
        @SuppressWarnings("unchecked")
        Map<String, Object> s = (Map<String, Object>) ((Map<String, Object>) report.get("end")).get(sum);
        return ((Number) s.get("bits_per_second")).doubleValue() / 1e9;
    }

    /** One of serve's counter lines ({@code  Name.CONSTANT   value}); 0 when absent. */
    private static long counter(String serveOutput, String name) {
        Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(name) + "\\s+(\\d+)").matcher(serveOutput);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    @Test
    void unmodifiedIperf3MeasuresBothDirectionsAndParallelStreamsWithTheStacksOwnCounts() throws Exception {
        RequiredTools.require("iperf3", "iperf3");
        try (TestNamespace ns = TestNamespace.create("tt-ipf-")) {
            TestNamespace.BackgroundProcess serve = serve(ns);

            Map<String, Object> forward = iperf3(ns, "-t", "2");
            Map<String, Object> reverse = iperf3(ns, "-t", "2", "-R");
            Map<String, Object> parallel = iperf3(ns, "-t", "2", "-P", "2", "-l", "64K");
            Map<String, Object> budget = iperf3(ns, "-R", "-n", "3M");

            // -u: refused with iperf3's own message, in bounded time.
            Netns.ExecResult udp = ns.exec(CLIENT_TIMEOUT, "timeout", "20", "iperf3", "-c", STACK, "-u", "-t", "1");
            assertNotEquals(124, udp.exitCode(), "iperf3 -u hung: " + udp.describe());
            assertNotEquals(0, udp.exitCode(), udp.describe());
            assertTrue(udp.stderr().contains("protocol does not exist") || udp.stdout().contains("protocol does not exist"),
                    udp.describe());

            ProcessHandle.of(serve.pid()).ifPresent(ProcessHandle::destroy);
            Netns.ExecResult stopped = serve.waitFor(Duration.ofSeconds(30));
            assertEquals(0, stopped.exitCode(), stopped.describe());
            String out = stopped.stdout();

            for (Map<String, Object> r : List.of(forward, reverse, parallel)) {
                assertTrue(bytes(r, "sum_received") > 0, "end.sum_received.bytes > 0");
                assertTrue(bytes(r, "sum_sent") >= bytes(r, "sum_received"), "no more received than sent");
            }
            assertEquals(2, streams(parallel), "-P 2");
            // The receiver's figures of a forward test are the stack's; of -R the sender's are.
            assertEquals(bytes(forward, "sum_received") + bytes(parallel, "sum_received"),
                    counter(out, "IperfCounter.BYTES_RECEIVED"), "bytes the stack received: " + out);
            assertEquals(3L << 20, bytes(budget, "sum_sent"), "-R -n 3M: exactly the budget");
            assertEquals(3L << 20, bytes(budget, "sum_received"), "-R -n 3M: all of it arrived");
            assertEquals(bytes(reverse, "sum_sent") + bytes(budget, "sum_sent"), counter(out, "IperfCounter.BYTES_SENT"),
                    "bytes the stack sent: " + out);
            assertEquals(4, counter(out, "IperfCounter.TESTS_COMPLETED"), out);
            assertEquals(1, counter(out, "IperfCounter.TESTS_REFUSED"), out);
            System.out.printf("iperf3 through tuntcp: forward %.2f Gbit/s, reverse %.2f Gbit/s, -P 2 %.2f Gbit/s%n",
                    gbits(forward, "sum_received"), gbits(reverse, "sum_received"), gbits(parallel, "sum_received"));
        }
    }
}
