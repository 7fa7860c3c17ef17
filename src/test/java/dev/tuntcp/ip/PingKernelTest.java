package dev.tuntcp.ip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.link.Netns;
import dev.tuntcp.testing.KernelTest;
import dev.tuntcp.testing.RequiredTools;
import dev.tuntcp.testing.TestNamespace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kernel pings the stack through a TUN device, in a namespace the test creates and deletes. */
@KernelTest
class PingKernelTest {
    private static final Pattern LOSS = Pattern.compile("(\\d+) packets transmitted, (\\d+) received.*?(\\d+(?:\\.\\d+)?)% packet loss");

    private static Netns.ExecResult ping(TestNamespace ns, Duration timeout, String... options) {
        RequiredTools.require("ping", "iputils-ping");
        List<String> argv = new ArrayList<>(List.of("ping", "-n"));
        argv.addAll(List.of(options));
        argv.add(KernelStack.STACK_ADDRESS);
        return ns.exec(timeout, argv.toArray(String[]::new));
    }

    private static void assertNoLoss(Netns.ExecResult r, int expected) {
        assertTrue(r.ok(), r.describe());
        Matcher m = LOSS.matcher(r.stdout());
        assertTrue(m.find(), r.describe());
        assertEquals(expected, Integer.parseInt(m.group(1)), r.describe());
        assertEquals(expected, Integer.parseInt(m.group(2)), r.describe());
        assertEquals("0", m.group(3), r.describe());
    }

    @Test
    void answersFivePingsAndTheDeviceIsGoneAfterwards(TestNamespace ns) throws Exception {
        try (KernelStack s = new KernelStack(ns, null)) {
            assertNoLoss(ping(ns, Duration.ofSeconds(20), "-c", "5", "-i", "0.2", "-W", "5"), 5);
            assertEquals(5, s.counter(Ipv4Stat.ECHO_REQUESTS));
        }
        assertFalse(ns.exec("ip", "link", "show", "tt0").ok(), "tt0 disappears with the stack");
    }

    @Test
    void largestUnfragmentedAndFragmentedBothWays(TestNamespace ns) throws Exception {
        try (KernelStack s = new KernelStack(ns, null)) {
            assertNoLoss(ping(ns, Duration.ofSeconds(20), "-c", "3", "-i", "0.2", "-W", "5", "-s", "1472", "-M", "do"), 3);
            assertEquals(0, s.counter(Ipv4Stat.FRAGMENTS_IN), "1472 + 28 = 1500 fits the MTU");
            assertEquals(0, s.counter(Ipv4Stat.FRAGMENTED));
            assertNoLoss(ping(ns, Duration.ofSeconds(20), "-c", "3", "-i", "0.2", "-W", "5", "-s", "8000"), 3);
            assertEquals(3, s.counter(Ipv4Stat.REASSEMBLED), "the kernel fragmented its requests");
            assertEquals(3, s.counter(Ipv4Stat.FRAGMENTED), "we fragmented our replies");
            assertEquals(3 * 6, s.counter(Ipv4Stat.FRAGMENTS_OUT), "8028 bytes in 1480-byte pieces");
            assertNoLoss(ping(ns, Duration.ofSeconds(20), "-c", "2", "-i", "0.5", "-W", "5", "-s", "65507"), 2);
        }
    }

    @Test
    void boundedFloodPingLosesNothing(TestNamespace ns) throws Exception {
        try (KernelStack s = new KernelStack(ns, null)) {
            // -f needs root (we are); -w bounds it in time, -c in count.
            assertNoLoss(ping(ns, Duration.ofSeconds(60), "-f", "-c", "2000", "-w", "45"), 2000);
            assertEquals(2000, s.counter(Ipv4Stat.ECHO_REQUESTS));
        }
    }

    @Test
    void pcapShowsEchoPairsWithGoodChecksums(TestNamespace ns, @TempDir Path dir) throws Exception {
        Path pcap = dir.resolve("ping.pcap");
        try (KernelStack s = new KernelStack(ns, pcap)) {
            assertNoLoss(ping(ns, Duration.ofSeconds(20), "-c", "3", "-i", "0.2", "-W", "5"), 3);
            assertNoLoss(ping(ns, Duration.ofSeconds(20), "-c", "1", "-W", "5", "-s", "3000"), 1);
        }
        RequiredTools.require("tshark", "tshark");
        Netns.ExecResult r = Netns.run(Duration.ofSeconds(60), "tshark", "-n", "-2", "-r", pcap.toString(),
                "-o", "ip.check_checksum:TRUE", "-o", "ip.defragment:TRUE", "-T", "fields", "-E", "separator=|",
                "-e", "ip.version", "-e", "ip.src", "-e", "ip.dst", "-e", "icmp.type", "-e", "icmp.seq",
                "-e", "ip.checksum.status", "-e", "icmp.checksum.status", "-e", "icmp.resp_in", "-e", "icmp.resp_to");
        assertTrue(r.ok(), r.describe());
        Map<String, Integer> requests = new HashMap<>();
        int pairs = 0;
        int ipv4 = 0;
        for (String line : r.stdout().split("\n")) {
            String[] f = line.split("\\|", -1);
            if (f.length < 9 || !"4".equals(f[0])) {
                continue; // IPv6 noise the kernel sent, recorded too
            }
            ipv4++;
            assertEquals("1", f[5], "ip.checksum.status good: " + line);
            if (f[3].isEmpty()) {
                continue; // a fragment; tshark dissects ICMP in the reassembled last one
            }
            assertEquals("1", f[6], "icmp.checksum.status good: " + line);
            if ("8".equals(f[3])) {
                assertFalse(f[7].isEmpty(), "every request has its reply: " + line);
                requests.merge(f[4], 1, Integer::sum);
            } else if ("0".equals(f[3])) {
                assertFalse(f[8].isEmpty(), "every reply answers a request: " + line);
                pairs++;
            }
        }
        assertEquals(4, pairs, r.stdout());
        assertTrue(ipv4 >= 8 + 2 * 2, "the 3000-byte ping is fragmented both ways: " + ipv4 + " IPv4 records");
    }
}
