package dev.tuntcp.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.link.Netns;
import dev.tuntcp.testing.KernelTest;
import dev.tuntcp.testing.TestNamespace;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code tuntcp serve} as a separate process in a test namespace (DESIGN §4): its TCP services
 * answer the kernel's curl and nc, {@code --trace} prints one line per segment with the state change
 * it caused, and SIGTERM closes open connections with a FIN (not a reset) before it exits 0.
 */
@KernelTest
class ServeProcessTest {
    private static final String STACK = "10.13.0.2";
    private static final Duration UP = Duration.ofSeconds(30);

    private static TuntcpProcess serve(TestNamespace ns) throws InterruptedException {
        TuntcpProcess serve = TuntcpProcess.start(ns, "serve", "--tun", "tt0", "--addr", STACK, "--peer", "10.13.0.1/24",
                "--trace");
        assertTrue(serve.awaitStdout("tuntcp: serving", UP), "serve came up: " + serve.describe());
        return serve;
    }

    @Test
    void servesHttpEchoAndClosedPortsWithOneTraceLinePerSegment(TestNamespace ns) throws Exception {
        try (TuntcpProcess serve = serve(ns)) {
            Netns.ExecResult page = ns.execOk("curl", "-sS", "--max-time", "10", "http://" + STACK + "/");
            assertTrue(page.stdout().contains("tuntcp"), page.describe());
            Netns.ExecResult echo = ns.execOk("sh", "-c", "printf 'over tuntcp\\n' | nc -N -w 5 " + STACK + " 7");
            assertEquals("over tuntcp\n", echo.stdout());
            Netns.ExecResult refused = ns.exec("curl", "-sS", "--max-time", "5", "http://" + STACK + ":8080/");
            assertEquals(7, refused.exitCode(), "closed port refused: " + refused.describe());

            serve.terminate();
            assertEquals(0, serve.waitFor(Duration.ofSeconds(20)), serve.describe());
            String out = serve.stdout();
            // DESIGN §4: "0.000412 ← 10.13.0.1:45678 > 10.13.0.2:80 [S] seq … win 64240 <mss 1460,…>  LISTEN → SYN-RECEIVED"
            assertTrue(Pattern.compile("(?m)^\\d+\\.\\d{6} ← 10\\.13\\.0\\.1:\\d+ > 10\\.13\\.0\\.2:80 \\[S\\] seq 0 \\(abs \\d+\\)"
                    + " win \\d+ <mss \\d+[^>]*>  LISTEN → SYN-RECEIVED$").matcher(out).find(), out);
            assertTrue(Pattern.compile("(?m)^\\d+\\.\\d{6} → 10\\.13\\.0\\.2:80 > 10\\.13\\.0\\.1:\\d+ \\[S\\.\\] seq 0 \\(abs \\d+\\)"
                    + " ack 1 \\(abs \\d+\\)").matcher(out).find(), out);
            assertTrue(out.contains("SYN-RECEIVED → ESTABLISHED"), out);
            assertTrue(out.contains("ESTABLISHED → CLOSE-WAIT") && out.contains("CLOSE-WAIT → LAST-ACK")
                    && out.contains("LAST-ACK → CLOSED"), "passive close traced: " + out);
            // The refused SYN: answered by a RST from the stack (RFC 9293 §3.10.7.1).
            assertTrue(Pattern.compile("(?m)^\\d+\\.\\d{6} → 10\\.13\\.0\\.2:8080 > 10\\.13\\.0\\.1:\\d+ \\[R\\.\\]").matcher(out).find(),
                    "RST to the closed port: " + out);
            // Each TCP segment once (from the TCP layer); the packet-level trace shows only the rest.
            assertEquals(1, out.lines().filter(l -> l.matches(".* ← 10\\.13\\.0\\.1:\\d+ > 10\\.13\\.0\\.2:80 \\[S\\] .*")).count(),
                    "one line for curl's one SYN: " + out);
            Matcher opens = Pattern.compile("TcpStat.PASSIVE_OPENS\\s+(\\d+)").matcher(out);
            assertTrue(opens.find(), "counters printed: " + out);
            assertEquals(2, Integer.parseInt(opens.group(1)), out);
            assertFalse(ns.exec("ip", "link", "show", "tt0").ok(), "tt0 gone after serve exits");
        }
    }

    /**
     * A Java socket in the namespace (the kernel's TCP) holds a connection to echo open. SIGTERM: the
     * stack sends FIN (ESTABLISHED → FIN-WAIT-1); the kernel reads end of stream — not a reset —
     * and closes too; the stack reaches TIME-WAIT, has nothing left to drain and exits 0 at once.
     */
    @Test
    void sigtermClosesOpenConnectionsWithAFinThenExitsZero(TestNamespace ns) throws Exception {
        try (TuntcpProcess serve = serve(ns)) {
            Socket kernel = ns.call(() -> {
                Socket s = new Socket();
                s.connect(new InetSocketAddress(STACK, 7), 10_000);
                return s;
            });
            try (kernel) {
                kernel.setSoTimeout(20_000);
                OutputStream toStack = kernel.getOutputStream();
                InputStream fromStack = kernel.getInputStream();
                toStack.write("still here\n".getBytes(StandardCharsets.US_ASCII));
                byte[] echoed = fromStack.readNBytes(11);
                assertEquals("still here\n", new String(echoed, StandardCharsets.US_ASCII));

                long signalled = System.nanoTime();
                serve.terminate();
                assertEquals(-1, fromStack.read(), "the stack's FIN is the end of the stream (a reset would throw)");
                kernel.close(); // the kernel's FIN: the stack goes FIN-WAIT-2 → TIME-WAIT
                assertEquals(0, serve.waitFor(Duration.ofSeconds(20)), serve.describe());
                long millis = (System.nanoTime() - signalled) / 1_000_000;
                assertTrue(millis < 10_000, "bounded stop: " + millis + " ms");
            }
            String out = serve.stdout();
            List<String> port7 = out.lines().filter(l -> l.contains("10.13.0.2:7 ") || l.contains("10.13.0.2:7 ⇄")).toList();
            assertTrue(port7.stream().anyMatch(l -> l.contains("ESTABLISHED → FIN-WAIT-1")), out);
            assertTrue(port7.stream().anyMatch(l -> l.contains("FIN-WAIT-1 → FIN-WAIT-2")
                    || l.contains("FIN-WAIT-1 → CLOSING") || l.contains("FIN-WAIT-1 → TIME-WAIT")), out);
            assertTrue(port7.stream().anyMatch(l -> l.endsWith("→ TIME-WAIT")), "the teardown completed: " + out);
            assertFalse(port7.stream().anyMatch(l -> l.contains("[R")), "no reset on a graceful stop: " + out);
            assertTrue(out.contains("tuntcp: stopped; counters:"), out);
        }
    }
}
