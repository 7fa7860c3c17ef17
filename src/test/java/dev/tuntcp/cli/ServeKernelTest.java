package dev.tuntcp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.link.Netns;
import dev.tuntcp.link.TunDevice;
import dev.tuntcp.stack.Counters;
import dev.tuntcp.testing.KernelTest;
import dev.tuntcp.testing.TestNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tuntcp serve} as a user runs it: a separate JVM inside the test's namespace, pinged by the
 * kernel, stopped with SIGTERM (exit 0, counters printed, device gone); and its user errors.
 */
@KernelTest
class ServeKernelTest {

    /** The java command line that runs tuntcp's Main from this test's class path. */
    private static List<String> tuntcp(String... args) {
        return dev.tuntcp.testing.TuntcpJvm.command(List.of(), args);
    }

    private static final String[] SERVE = {"serve", "--tun", "tt0", "--addr", "10.13.0.2", "--peer", "10.13.0.1/24"};

    private static String[] serve(String... extra) {
        List<String> a = new ArrayList<>(List.of(SERVE));
        a.addAll(List.of(extra));
        return tuntcp(a.toArray(String[]::new)).toArray(String[]::new);
    }

    /**
     * Waits (at most 30 s) for serve's "serving" line, which it prints once the device is configured
     * and the stack is about to run, then checks one ping comes back.
     */
    private static void awaitUp(TestNamespace ns, TestNamespace.BackgroundProcess serve) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!serve.stdout().contains("tuntcp: serving")) {
            if (!serve.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("serve did not come up\nstdout: " + serve.stdout() + "\nstderr: " + serve.stderr());
            }
            Thread.sleep(50); // polling another process's output; there is nothing to wait on
        }
        Netns.ExecResult r = ns.exec(Duration.ofSeconds(20), "ping", "-n", "-c", "1", "-w", "10", "10.13.0.2");
        assertTrue(r.ok(), "serve does not answer: " + r.describe() + "\nserve stdout: " + serve.stdout()
                + "\nserve stderr: " + serve.stderr());
    }

    private static Netns.ExecResult stop(TestNamespace.BackgroundProcess serve) throws InterruptedException {
        ProcessHandle.of(serve.pid()).ifPresent(ProcessHandle::destroy); // SIGTERM, by PID
        return serve.waitFor(Duration.ofSeconds(20));
    }

    @Test
    void servesPingThenStopsCleanlyOnSigterm(TestNamespace ns, @TempDir Path dir) throws Exception {
        Path pcap = dir.resolve("serve.pcap");
        TestNamespace.BackgroundProcess serve = ns.start(serve("--pcap", pcap.toString(), "--trace"));
        awaitUp(ns, serve);
        Netns.ExecResult ping = ns.exec(Duration.ofSeconds(20), "ping", "-n", "-c", "5", "-i", "0.2", "10.13.0.2");
        assertTrue(ping.ok() && ping.stdout().contains(" 0% packet loss"), ping.describe());
        Netns.ExecResult done = stop(serve);
        assertEquals(0, done.exitCode(), done.describe());
        assertTrue(done.stdout().contains("tuntcp: serving 10.13.0.2 on tt0"), done.stdout());
        assertTrue(done.stdout().contains("10.13.0.1 > 10.13.0.2 ICMP echo request"), "--trace lines: " + done.stdout());
        assertTrue(done.stdout().contains("10.13.0.2 > 10.13.0.1 ICMP echo reply"), done.stdout());
        Matcher echo = Pattern.compile("Ipv4Stat.ECHO_REQUESTS\\s+(\\d+)").matcher(done.stdout());
        assertTrue(echo.find(), "counters printed: " + done.stdout());
        assertTrue(Integer.parseInt(echo.group(1)) >= 6);
        assertTrue(Files.size(pcap) > 24, "pcap written");
        assertFalse(ns.exec("ip", "link", "show", "tt0").ok(), "tt0 gone after serve exits");
    }

    @Test
    void impairmentDelaysBothDirections(TestNamespace ns) throws Exception {
        TestNamespace.BackgroundProcess serve = ns.start(serve("--impair", "delay=40ms,seed=1"));
        awaitUp(ns, serve);
        Netns.ExecResult ping = ns.exec(Duration.ofSeconds(20), "ping", "-n", "-c", "3", "-i", "0.2", "10.13.0.2");
        assertTrue(ping.ok(), ping.describe());
        Matcher rtt = Pattern.compile("rtt min/avg/max/mdev = ([\\d.]+)/").matcher(ping.stdout());
        assertTrue(rtt.find(), ping.stdout());
        assertTrue(Double.parseDouble(rtt.group(1)) >= 80.0, "40 ms each way: " + ping.stdout());
        Netns.ExecResult done = stop(serve);
        assertEquals(0, done.exitCode(), done.describe());
        assertTrue(done.stdout().contains("Impairment.DELIVERED (out / in)"), done.stdout());
    }

    @Test
    void aBusyDeviceIsAOneLineErrorAndLeavesTheOwnersDeviceAlone(TestNamespace ns) throws Exception {
        try (TunDevice held = ns.call(() -> TunDevice.open("tt0", new Counters()))) {
            Netns.ExecResult r = ns.exec(Duration.ofSeconds(30), serve());
            assertEquals(ServeCommand.EXIT_SETUP, r.exitCode(), r.describe());
            assertEquals(1, r.stderr().strip().lines().count(), "one line: " + r.stderr());
            assertTrue(r.stderr().startsWith("tuntcp serve: "), r.stderr());
            assertTrue(r.stderr().contains("—"), "names the fix: " + r.stderr());
            assertTrue(ns.exec("ip", "link", "show", "tt0").ok(), "the holder's device is untouched");
            assertFalse(held.isClosed());
        }
        assertFalse(ns.exec("ip", "link", "show", "tt0").ok());
    }

    @Test
    void withoutCapNetAdminTheErrorSaysRunAsRootAndNothingIsLeft(TestNamespace ns) {
        List<String> argv = new ArrayList<>(List.of("setpriv", "--inh-caps=-net_admin", "--bounding-set=-net_admin"));
        argv.addAll(List.of(serve()));
        Netns.ExecResult r = ns.exec(Duration.ofSeconds(30), argv.toArray(String[]::new));
        assertEquals(ServeCommand.EXIT_SETUP, r.exitCode(), r.describe());
        assertEquals("tuntcp serve: cannot create TUN device tt0: Operation not permitted — run as root or create a"
                + " persistent device with native-setup/tun-up.sh", r.stderr().strip());
        assertFalse(ns.exec("ip", "link", "show", "tt0").ok(), "no device left behind");
    }
}
