package dev.tuntcp.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.link.Netns;
import dev.tuntcp.testing.KernelTest;
import dev.tuntcp.testing.RequiredTools;
import dev.tuntcp.testing.Rfc9293;
import dev.tuntcp.testing.TestNamespace;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tuntcp connect} as a separate process: the stack's ACTIVE open to the kernel's TCP (DESIGN
 * §4, §5.4) — to {@code nc -l} and to a Java {@link ServerSocket} in the namespace — with data both
 * ways and half-close in both orders; refused and unanswered connections end with one line and exit 1.
 */
@KernelTest
class ConnectProcessTest {
    private static final String KERNEL = "10.13.0.1";
    private static final Duration EXIT = Duration.ofSeconds(40);

    private static TuntcpProcess connect(TestNamespace ns, String host, int port, String... extra) {
        String[] base = {"connect", host, String.valueOf(port), "--tun", "tt0", "--addr", "10.13.0.2",
                "--peer", KERNEL + "/24"};
        String[] argv = new String[base.length + extra.length];
        System.arraycopy(base, 0, argv, 0, base.length);
        System.arraycopy(extra, 0, argv, base.length, extra.length);
        return TuntcpProcess.start(ns, argv);
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Waits (bounded) until the kernel socket state {@code ssFilter} lists something. */
    private static void awaitKernel(TestNamespace ns, String ssArgs) {
        Netns.ExecResult r = ns.exec(Duration.ofSeconds(15), "sh", "-c",
                "for i in $(seq 200); do ss -Hn " + ssArgs + " | grep -q . && exit 0; sleep 0.05; done; exit 1");
        assertTrue(r.ok(), "kernel never showed: ss " + ssArgs + "\n" + ns.exec("ss", "-tan").stdout());
    }

    /**
     * Our stdin's end (FIN) first: the kernel peer sends its file and shuts down after its own input, so
     * both sides half-close while the other still sends. Both streams byte-exact, exit 0.
     */
    @Test
    void activeOpenToKernelNcCarriesDataBothWaysWithHalfClose(TestNamespace ns, @TempDir Path dir) throws Exception {
        byte[] toKernel = random(512 * 1024, 1);
        byte[] fromKernel = random(256 * 1024, 2);
        Path kernelSends = dir.resolve("from-kernel");
        Path kernelGot = dir.resolve("to-kernel");
        Files.write(kernelSends, fromKernel);
        // socat, not nc: OpenBSD nc stops sending its input once it reads the peer's FIN, which
        // (with window scaling, our 512 KiB and FIN are through quickly) cut the kernel's stream short.
        // socat half-closes properly: FIN after its input, and it still reads ours (-t: then exits).
        TestNamespace.BackgroundProcess nc = ns.start("socat", "-t", "30", "TCP-LISTEN:5000,reuseaddr",
                "SYSTEM:cat " + kernelSends + " & cat > " + kernelGot + "; wait");
        awaitKernel(ns, "-lt 'sport = :5000'");
        try (TuntcpProcess connect = connect(ns, KERNEL, 5000, "--trace")) {
            try (OutputStream stdin = connect.stdin()) {
                stdin.write(toKernel);
            } // end of input: connect sends FIN and keeps reading
            assertEquals(0, connect.waitFor(EXIT), connect.describe());
            assertArrayEquals(fromKernel, connect.stdoutBytes(), "the kernel's bytes on connect's stdout");
            Netns.ExecResult ncDone = nc.waitFor(Duration.ofSeconds(10));
            assertEquals(0, ncDone.exitCode(), ncDone.describe());
            assertArrayEquals(toKernel, Files.readAllBytes(kernelGot), "our bytes reached nc");
            String trace = connect.stderr();
            assertTrue(trace.contains("[S] seq 0") && trace.contains("CLOSED → SYN-SENT"), trace);
            assertTrue(trace.contains("SYN-SENT → ESTABLISHED"), trace);
            assertTrue(trace.contains("ESTABLISHED → FIN-WAIT-1"), trace);
            assertTrue(trace.contains("→ TIME-WAIT"), "the active closer ends in TIME-WAIT: " + trace);
        }
    }

    /**
     * The kernel's FIN first: a Java ServerSocket sends a greeting and shuts its output down. While
     * the kernel sits in FIN-WAIT-2 (its FIN acknowledged, ours not yet sent) the stack keeps
     * sending; at the end of connect's stdin its FIN completes the close (CLOSE-WAIT → LAST-ACK →
     * CLOSED) and the kernel's socket goes to TIME-WAIT.
     */
    @Test
    void activeOpenToJavaServerSocketKeepsSendingWhileTheKernelIsInFinWait2(TestNamespace ns) throws Exception {
        ServerSocket server = ns.call(() -> {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress(6000));
            return s;
        });
        byte[] greeting = "hello from the kernel\n".getBytes(StandardCharsets.US_ASCII);
        byte[] body = random(300 * 1024, 3);
        CountDownLatch bodyRead = new CountDownLatch(1);
        CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
            try (server; Socket s = server.accept()) {
                s.setSoTimeout(30_000);
                s.getOutputStream().write(greeting);
                s.shutdownOutput(); // FIN: the kernel goes FIN-WAIT-1 → FIN-WAIT-2 on the stack's ACK
                InputStream in = s.getInputStream();
                byte[] got = in.readNBytes(body.length);
                bodyRead.countDown();
                if (in.read() != -1) {
                    throw new AssertionError("more than the body before the stack's FIN");
                }
                return got;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try (TuntcpProcess connect = connect(ns, KERNEL, 6000, "--trace")) {
            assertTrue(connect.awaitStdout("hello from the kernel", Duration.ofSeconds(30)), connect.describe());
            awaitKernel(ns, "-t state fin-wait-2 'sport = :6000'");
            OutputStream stdin = connect.stdin();
            stdin.write(body);
            stdin.flush();
            assertTrue(bodyRead.await(30, TimeUnit.SECONDS), "the stack sent after the kernel's FIN: " + connect.describe());
            Netns.ExecResult finWait2 = ns.exec("ss", "-Htn", "state", "fin-wait-2", "sport = :6000");
            assertEquals(1, finWait2.stdout().lines().count(),
                    "still FIN-WAIT-2 after receiving the stack's data: " + ns.exec("ss", "-tan").stdout());
            stdin.close(); // our FIN
            assertEquals(0, connect.waitFor(EXIT), connect.describe());
            assertArrayEquals(body, received.get(10, TimeUnit.SECONDS));
            assertEquals("hello from the kernel\n", connect.stdout());
            String trace = connect.stderr();
            assertTrue(trace.contains("ESTABLISHED → CLOSE-WAIT"), trace);
            assertTrue(trace.contains("CLOSE-WAIT → LAST-ACK"), trace);
            assertTrue(trace.contains("LAST-ACK → CLOSED"), trace);
        }
    }

    /** The kernel aborts (SO_LINGER 0 → RST): connect reports the reset in one line and exits 1. */
    @Test
    void aResetByThePeerIsOneLineAndExitOne(TestNamespace ns) throws Exception {
        ServerSocket server = ns.call(() -> {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress(6001));
            return s;
        });
        CompletableFuture<Void> resetter = CompletableFuture.runAsync(() -> {
            try (server; Socket s = server.accept()) {
                s.getOutputStream().write("bye\n".getBytes(StandardCharsets.US_ASCII));
                s.setSoLinger(true, 0); // close() now sends RST (RFC 9293 §3.10.5 ABORT)
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try (TuntcpProcess connect = connect(ns, KERNEL, 6001)) {
            resetter.get(30, TimeUnit.SECONDS);
            assertEquals(1, connect.waitFor(EXIT), connect.describe());
            String err = connect.stderr().strip();
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.startsWith("tuntcp connect: connection to 10.13.0.1:6001 failed: Connection reset"), err);
        }
    }

    @Test
    void aRefusedConnectionIsOneLineAndExitOne(TestNamespace ns) throws Exception {
        try (TuntcpProcess connect = connect(ns, KERNEL, 5999)) {
            connect.stdin().close();
            assertEquals(1, connect.waitFor(EXIT), connect.describe());
            assertEquals("tuntcp connect: 10.13.0.1:5999 refused the connection (RST) — is anything listening there?",
                    connect.stderr().strip());
            assertEquals("", connect.stdout());
        }
    }

    /**
     * A firewall that rejects with ICMP port unreachable instead of RST: the active open ends at once
     * as refused (RFC 9293 SHLD-26, as Linux reports ECONNREFUSED), and the message names the ICMP
     * error (MUST-47) rather than an RST that never came.
     */
    @Test
    @Rfc9293({"SHLD-26", "MUST-47"})
    void aConnectRejectedByIcmpPortUnreachableIsRefusedAndSaysSo(TestNamespace ns) throws Exception {
        RequiredTools.require("nft", "nftables");
        ns.execOk("sh", "-c", "printf '%s' 'table inet tt_reject { chain input { type filter hook input priority 0; "
                + "tcp dport 5998 reject with icmp type port-unreachable; }; }' | nft -f -");
        try (TuntcpProcess connect = connect(ns, KERNEL, 5998)) {
            connect.stdin().close();
            assertEquals(1, connect.waitFor(EXIT), connect.describe());
            assertEquals("tuntcp connect: 10.13.0.1:5998 refused the connection (port unreachable (ICMP 3/3))"
                    + " — is anything listening there?", connect.stderr().strip());
        }
    }

    @Test
    void anUnansweredConnectTimesOut(TestNamespace ns) throws Exception {
        // 10.13.0.3 is on the link but nobody has it: the kernel does not forward, the SYN goes unanswered.
        try (TuntcpProcess connect = connect(ns, "10.13.0.3", 80, "--connect-timeout", "1")) {
            connect.stdin().close();
            assertEquals(1, connect.waitFor(EXIT), connect.describe());
            String err = connect.stderr().strip();
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.startsWith("tuntcp connect: no answer from 10.13.0.3:80 within 1 s"), err);
        }
    }
}
