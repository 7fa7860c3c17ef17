package dev.tuntcp.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.link.Netns;
import dev.tuntcp.stats.StatsClient;
import dev.tuntcp.stats.StatsSnapshot;
import dev.tuntcp.testing.KernelTest;
import dev.tuntcp.testing.TestNamespace;
import dev.tuntcp.testing.TuntcpJvm;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tuntcp stats} against a {@code serve} running as a process inside a test namespace, asked
 * from the host's namespace (the socket is a file, so it crosses network namespaces): after a curl,
 * a SYN to a closed port, a reset connection and a ping, the RFC 4022 counters say so, and the
 * gauges are back to zero once the connections are gone.
 */
@KernelTest
class StatsProcessTest {
    private static final String STACK = "10.13.0.2";

    @TempDir
    Path run;

    private static long row(String text, String group, String name) {
        int start = text.indexOf("\n\n" + group + "\n");
        assertTrue(start >= 0, group + " in: " + text);
        int end = text.indexOf("\n\n", start + 2);
        String block = text.substring(start, end < 0 ? text.length() : end + 1);
        Matcher m = Pattern.compile("(?m)^  " + Pattern.quote(name) + " +(\\d+)$").matcher(block);
        assertTrue(m.find(), name + " in " + group + ": " + text);
        return Long.parseLong(m.group(1));
    }

    /** {@code tuntcp stats args…} as a process in the host's namespace. */
    private static Netns.ExecResult stats(String... args) {
        List<String> argv = TuntcpJvm.command(List.of("-XX:TieredStopAtLevel=1"), args);
        return Netns.run(Duration.ofSeconds(30), argv.toArray(String[]::new));
    }

    @Test
    void countsOpensResetsAndDropsOfARunningServe(TestNamespace ns) throws Exception {
        Path socket = run.resolve("tt0.sock");
        try (TuntcpProcess serve = TuntcpProcess.start(ns, "serve", "--tun", "tt0", "--addr", STACK,
                "--peer", "10.13.0.1/24", "--stats-socket", socket.toString())) {
            assertTrue(serve.awaitStdout("tuntcp: serving", Duration.ofSeconds(30)), serve.describe());
            assertTrue(serve.stdout().contains("tuntcp stats --socket " + socket), serve.describe());

            ns.execOk("curl", "-sS", "--max-time", "10", "-o", "/dev/null", "http://" + STACK + "/");
            Netns.ExecResult refused = ns.exec("curl", "-sS", "--max-time", "5", "http://" + STACK + ":8080/");
            assertEquals(7, refused.exitCode(), "closed port refused: " + refused.describe());
            ns.execOk("ping", "-c", "1", "-W", "5", STACK);
            ns.call(() -> {
                // ABORT from the kernel's side: SO_LINGER 0 makes close() send RST (RFC 9293 §3.10.5)
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(STACK, 7), 10_000);
                    s.getOutputStream().write('x');
                    s.getInputStream().read();
                    s.setSoLinger(true, 0);
                }
                return null;
            });

            // Wait for the stack to see the last FIN/RST: CurrEstab and every state gauge back to 0.
            StatsSnapshot settled = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline) {
                StatsSnapshot.Parsed p = StatsClient.fetch(socket, 5000);
                assertTrue(p.ok(), p.error());
                if (p.snapshot().gauges().values().stream().allMatch(v -> v == 0)) {
                    settled = p.snapshot();
                    break;
                }
                Thread.sleep(20); // poll interval: the condition above is what is waited for
            }
            assertTrue(settled != null, "connections closed: " + serve.describe());

            Netns.ExecResult text = stats("stats", "--socket", socket.toString());
            assertTrue(text.ok(), text.describe());
            String out = text.stdout();
            assertTrue(out.startsWith("tuntcp stats: tt0 (" + STACK + "), up "), out);
            String tcp = "TCP (RFC 4022 tcp group)";
            assertTrue(row(out, tcp, "PassiveOpens") >= 2, "curl and the reset socket: " + out);
            assertEquals(0, row(out, tcp, "ActiveOpens"), out);
            assertTrue(row(out, tcp, "OutRsts") >= 1, "RST to the closed port: " + out);
            assertTrue(row(out, tcp, "EstabResets") >= 1, "the aborted connection: " + out);
            assertEquals(0, row(out, tcp, "CurrEstab"), out);
            assertTrue(row(out, tcp, "InSegs") >= 8, out);
            assertTrue(row(out, tcp, "OutSegs") >= 6, out);
            assertEquals(0, row(out, tcp, "InErrs"), out);
            assertTrue(row(out, "TCP drops by reason (TcpDrop)", "CLOSED_PORT") >= 1, out);
            assertEquals(0, row(out, "TCP drops by reason (TcpDrop)", "BAD_CHECKSUM"), "zero rows listed: " + out);
            assertTrue(row(out, "ICMP (Ipv4Stat, Ipv4Drop)", "ECHO_REQUESTS") >= 1, out);
            assertTrue(row(out, "Services (ServiceCounter)", "HTTP_REQUESTS") >= 1, out);
            assertEquals(0, row(out, "TCP connections by state (now)", "ESTABLISHED"), out);

            Netns.ExecResult json = stats("stats", "--socket", socket.toString(), "--json");
            assertTrue(json.ok(), json.describe());
            Path file = run.resolve("stats.json");
            Files.writeString(file, json.stdout());
            Netns.ExecResult parsed = Netns.run(Duration.ofSeconds(10), "python3", "-c",
                    "import json,sys; d=json.load(open(sys.argv[1])); print(d['tcp']['PassiveOpens'], d['tcp']['CurrEstab'])",
                    file.toString());
            assertTrue(parsed.ok(), "valid JSON: " + parsed.describe() + "\n" + json.stdout());
            String[] values = parsed.stdout().strip().split(" ");
            assertTrue(Long.parseLong(values[0]) >= 2, parsed.stdout());
            assertEquals("0", values[1]);

            serve.terminate();
            assertEquals(0, serve.waitFor(Duration.ofSeconds(20)), serve.describe());
            assertFalse(Files.exists(socket), "serve removes its socket on exit");
            Netns.ExecResult gone = stats("stats", "--socket", socket.toString());
            assertEquals(1, gone.exitCode(), gone.describe());
            assertTrue(gone.stderr().startsWith("tuntcp stats: no serve answers on " + socket), gone.describe());
        }
    }
}
