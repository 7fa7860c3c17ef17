package dev.tuntcp.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.app.StandardServices;
import dev.tuntcp.link.LinkCounter;
import dev.tuntcp.link.Netns;
import dev.tuntcp.link.PeerAddress;
import dev.tuntcp.link.TunOptions;
import dev.tuntcp.stack.TunHost;
import dev.tuntcp.tcp.TcpConfig;
import dev.tuntcp.tcp.TcpDrop;
import dev.tuntcp.tcp.TcpStat;
import dev.tuntcp.testing.KernelTest;
import dev.tuntcp.testing.RequiredTools;
import dev.tuntcp.testing.TestNamespace;
import dev.tuntcp.wire.Ipv4Address;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Checksum and segmentation offload against the real kernel (issue 9): the stack on a TUN device
 * with {@code IFF_VNET_HDR} and {@code TUNSETOFFLOAD(TUN_F_CSUM | TUN_F_TSO4)} in a namespace of its
 * own ({@code tt-off-…}). curl GETs 64 MiB (the stack sends super-segments, the kernel segments them)
 * and POSTs 64 MiB to /echo (the kernel hands over super-segments with partial checksums, the
 * stack completes them); both byte-exact by SHA-256, the device's counters and a tcpdump capture on
 * tt0 show packets far above the 1500-byte MTU each way.
 */
@KernelTest
class OffloadKernelTest {
    private static final String STACK = "10.13.0.2";
    private static final String KERNEL = "10.13.0.1";
    private static final int SIZE = 64 << 20;
    private static final String BYTES_LINE = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.\n";
    /** tcpdump prints "length N" with the IP packet's payload length; a super-segment's is far above an MSS. */
    private static final Pattern LENGTH = Pattern.compile("length (\\d+)");

    @Test
    void curlGetAndPostOf64MiBThroughSuperSegmentsAreByteExact() throws Exception {
        RequiredTools.require("curl", "curl");
        RequiredTools.require("tcpdump", "tcpdump");
        try (TestNamespace ns = TestNamespace.create("tt-off-")) {
            TunHost host = ns.call(() -> TunHost.open(TunOptions.named("tt0").withOffload(true), Ipv4Address.parse(STACK),
                    PeerAddress.parse(KERNEL + "/24"), 0, new TcpConfig(), null));
            try {
                host.loop().start("stack-" + ns.name());
                host.call(() -> {
                    StandardServices.install(host.tcp(), host.counters());
                    return null;
                });
                assertEquals(65535, host.tcp().tcp().config().segmentationOffload(), "TCP sends super-segments");

                // One bounded capture per direction: tcpdump sees what crosses tt0 before segmentation.
                TestNamespace.BackgroundProcess fromStack = capture(ns, "src host " + STACK);
                TestNamespace.BackgroundProcess toStack = capture(ns, "dst host " + STACK);

                String get = run(ns, "sh", "-c", "curl -sS --max-time 100 http://" + STACK
                        + "/bytes/" + SIZE + " | sha256sum").stdout().split(" ")[0];
                assertEquals(expectedBytesHash(), get, "GET /bytes/64MiB byte-exact");

                String file = "/tmp/" + ns.name() + ".post";
                run(ns, "sh", "-c", "head -c " + SIZE + " /dev/urandom > " + file);
                try {
                    String sent = ns.execOk("sha256sum", file).stdout().split(" ")[0];
                    String echoed = run(ns, "sh", "-c", "curl -sS --max-time 100"
                            + " -H 'Content-Type: application/octet-stream' --data-binary @" + file
                            + " http://" + STACK + "/echo | sha256sum").stdout().split(" ")[0];
                    assertEquals(sent, echoed, "POST /echo of 64 MiB byte-exact");
                } finally {
                    ns.exec("rm", "-f", file);
                }

                Map<String, Long> c = host.call(() -> host.counters().snapshot());
                String all = c.toString();
                assertTrue(get(c, LinkCounter.GSO_PACKETS_OUT) > 100, "super-segments written for the kernel: " + all);
                assertTrue(get(c, TcpStat.SUPER_SEGMENTS_OUT) > 100, "TCP built super-segments: " + all);
                assertTrue(get(c, LinkCounter.GSO_PACKETS_IN) > 100, "the kernel handed over super-segments: " + all);
                assertTrue(get(c, LinkCounter.PARTIAL_CHECKSUMS_IN) > 100, "partial checksums completed: " + all);
                assertEquals(0, get(c, LinkCounter.BAD_VNET_HEADER), all);
                assertEquals(0, get(c, LinkCounter.SEGMENTATION_REFUSED), all);
                assertEquals(0, get(c, TcpDrop.BAD_CHECKSUM), "no partial checksum taken for a bad one: " + all);

                int sent = largestPayload(fromStack);
                int received = largestPayload(toStack);
                assertTrue(sent > 10_000, "tcpdump on tt0 saw the stack's super-segments (largest TCP payload " + sent + ")");
                assertTrue(received > 10_000, "tcpdump on tt0 saw the kernel's super-segments (largest " + received + ")");
            } finally {
                host.close();
            }
        }
    }

    /** tcpdump on tt0 for 30 packets of more than 3000 bytes matching {@code filter}, bounded to 120 s. */
    private static TestNamespace.BackgroundProcess capture(TestNamespace ns, String filter) throws InterruptedException {
        return ns.startCapture("timeout", "120", "tcpdump", "-n", "-l", "--immediate-mode",
                "-i", "tt0", "-c", "30", "tcp and greater 3000 and " + filter);
    }

    private static int largestPayload(TestNamespace.BackgroundProcess capture) throws InterruptedException {
        capture.waitFor(Duration.ofSeconds(10));
        int biggest = 0;
        Matcher m = LENGTH.matcher(capture.stdout());
        while (m.find()) {
            biggest = Math.max(biggest, Integer.parseInt(m.group(1)));
        }
        return biggest;
    }

    /** Runs a command in {@code ns} (at most two minutes) and fails on a non-zero exit. */
    private static Netns.ExecResult run(TestNamespace ns, String... command) {
        Netns.ExecResult r = ns.exec(Duration.ofSeconds(120), command);
        assertEquals(0, r.exitCode(), String.join(" ", command) + ": " + r.stderr());
        return r;
    }

    private static long get(Map<String, Long> counters, Enum<?> key) {
        return counters.getOrDefault(key.getDeclaringClass().getSimpleName() + "." + key.name(), 0L);
    }

    /** SHA-256 of what GET /bytes/N serves: the 64-character line repeated (app.RepeatingPattern). */
    private static String expectedBytesHash() throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] line = BYTES_LINE.getBytes(StandardCharsets.US_ASCII);
        byte[] block = new byte[64 * 1024];
        for (int i = 0; i < block.length; i++) {
            block[i] = line[i % line.length];
        }
        for (int done = 0; done < SIZE; done += block.length) {
            sha.update(block, 0, Math.min(block.length, SIZE - done));
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
