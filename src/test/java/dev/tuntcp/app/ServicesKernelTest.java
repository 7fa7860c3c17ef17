package dev.tuntcp.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.link.Netns;
import dev.tuntcp.link.PeerAddress;
import dev.tuntcp.stack.TunHost;
import dev.tuntcp.tcp.TcpConfig;
import dev.tuntcp.testing.KernelTest;
import dev.tuntcp.testing.TestNamespace;
import dev.tuntcp.wire.Ipv4Address;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What the HTTP and chargen services promise, checked with the kernel's own clients (curl, nc) in a
 * namespace the test creates: connection reuse, 100-continue without curl's one-second wait, errors
 * with raw bytes, the RFC 864 lines. (The basic curl/nc transfers are in e2e.KernelHttpEchoTest.)
 */
@KernelTest
class ServicesKernelTest {
    private static final String STACK = "10.13.0.2";

    private static TunHost serve(TestNamespace ns) throws Exception {
        TunHost host = ns.call(() -> TunHost.open("tt0", Ipv4Address.parse(STACK), PeerAddress.parse("10.13.0.1/24"), 0,
                new TcpConfig(), null));
        host.loop().start("stack-" + ns.name());
        host.call(() -> {
            StandardServices.install(host.tcp(), host.counters());
            return null;
        });
        return host;
    }

    @Test
    void curlReusesTheConnectionForSeveralRequests(TestNamespace ns) throws Exception {
        try (TunHost host = serve(ns)) {
            Netns.ExecResult r = ns.execOk("curl", "-sS", "-v", "--max-time", "20",
                    "http://" + STACK + "/bytes/100", "http://" + STACK + "/bytes/200", "http://" + STACK + "/");
            assertTrue(r.stderr().contains("Re-using existing connection"), r.describe());
            assertTrue(r.stdout().startsWith(RepeatingPattern.BYTES_LINE), r.describe());
            long requests = host.call(() -> host.counters().get(ServiceCounter.HTTP_REQUESTS));
            long connections = host.call(() -> host.counters().get(ServiceCounter.HTTP_CONNECTIONS));
            assertEquals(3, requests);
            assertEquals(1, connections, "three requests on one connection");
        }
    }

    @Test
    void curlGetsOneHundredContinueAtOnceForALargePost(TestNamespace ns) throws Exception {
        try (TunHost host = serve(ns)) {
            // curl asks "Expect: 100-continue" for large bodies and waits up to 1 s for the answer;
            // --expect100-timeout 10 turns a missing 100 into a 10 s stall the time limit catches.
            Netns.ExecResult r = ns.exec(Duration.ofSeconds(30), "sh", "-c",
                    "head -c 3000000 /dev/zero | tr '\\0' 'x' > /tmp/body-$$ && "
                            + "curl -sS -v --max-time 8 --expect100-timeout 10 -H 'Expect: 100-continue' "
                            + "--data-binary @/tmp/body-$$ http://" + STACK + "/echo | wc -c; rm -f /tmp/body-$$");
            assertEquals(0, r.exitCode(), r.describe());
            assertTrue(r.stderr().contains("HTTP/1.1 100 Continue"), r.describe());
            assertEquals("3000000", r.stdout().trim(), r.describe());
        }
    }

    @Test
    void rawBadRequestsGetTheirStatus(TestNamespace ns) throws Exception {
        try (TunHost host = serve(ns)) {
            Netns.ExecResult noHost = ns.execOk("sh", "-c",
                    "printf 'GET / HTTP/1.1\\r\\n\\r\\n' | nc -N -w 5 " + STACK + " 80");
            assertTrue(noHost.stdout().startsWith("HTTP/1.1 400 Bad Request\r\n"), noHost.describe());
            Netns.ExecResult missing = ns.execOk("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}",
                    "--max-time", "10", "http://" + STACK + "/no/such/thing");
            assertEquals("404", missing.stdout());
        }
    }

    @Test
    void ncReadsTheChargenLines(TestNamespace ns) throws Exception {
        try (TunHost host = serve(ns)) {
            Netns.ExecResult r = ns.exec(Duration.ofSeconds(20), "sh", "-c",
                    "nc -d -w 5 " + STACK + " 19 | head -c 740");
            String[] lines = r.stdout().split("\r\n");
            assertTrue(lines.length >= 10, r.describe());
            assertEquals("!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefgh", lines[0]);
            assertEquals("*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopq", lines[9]);
        }
    }
}
