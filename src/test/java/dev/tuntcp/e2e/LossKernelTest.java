package dev.tuntcp.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.link.Netns;
import dev.tuntcp.testing.KernelTest;
import dev.tuntcp.testing.RequiredTools;
import dev.tuntcp.testing.TestNamespace;
import dev.tuntcp.testing.TuntcpJvm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 7's kernel tests: the Linux kernel's curl against {@code serve} on a TUN device in a test
 * namespace, with loss made by the kernel itself (nftables {@code numgen random} rules in a router
 * namespace between curl and the TUN device dropping a random 3% of packets in each direction:
 * independent of our code), and with
 * {@code serve --impair} (our own seeded loss, duplication, reordering and corruption in both
 * directions). GET /bytes/N and POST /echo must be byte-exact (sha256) each way; the kernel's own
 * counters ({@code nstat}) and serve's say what happened. Without impairment a large transfer has no
 * retransmission at all.
 *
 * <p>POST /echo under loss (kernel-made and {@code --impair}) and the SACK blocks the stack sends
 * exercise the receive side: the kernel's upload arrives out of order, the stack holds it, reports it
 * in SACK blocks, and the kernel recovers with them.
 */
@KernelTest
class LossKernelTest {
    /** Bytes moved each way under loss (issue 7: 64 MiB; -Dtuntcp.lossBytes=N for a quick run). */
    static final int LOSSY_BYTES = Integer.getInteger("tuntcp.lossBytes", 64 << 20);
    /**
     * The clean transfer that must show zero retransmissions. Issue 7 asks 1 GiB; at ~65-130 MB/s on
     * the two-core CI machine that is 8-16 s, which CI affords.
     */
    static final long CLEAN_BYTES = 1L << 30;
    private static final String STACK = "10.13.0.2";
    private static final String CLIENT = "10.15.0.1";
    private static final String IMPAIR = "loss=0.03,dup=0.01,reorder=0.02,corrupt=0.01,seed=7";
    private static final String[] SERVE = {"serve", "--tun", "tt0", "--addr", STACK, "--peer", "10.13.0.1/24"};
    private static final Duration TRANSFER = Duration.ofSeconds(240);

    /** serve in {@code ns}, with extra arguments; returns once it is serving. */
    static TestNamespace.BackgroundProcess serve(TestNamespace ns, String... extra) throws InterruptedException {
        List<String> args = new ArrayList<>(List.of(SERVE));
        args.addAll(List.of(extra));
        TestNamespace.BackgroundProcess serve = ns.start(TuntcpJvm.command(List.of(), args.toArray(String[]::new))
                .toArray(String[]::new));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!serve.stdout().contains("tuntcp: serving")) {
            if (!serve.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("serve did not come up\nstdout: " + serve.stdout() + "\nstderr: " + serve.stderr());
            }
            Thread.sleep(50); // polling another process's output; there is nothing to wait on
        }
        return serve;
    }

    /** SIGTERM; serve closes, prints its counters and exits 0. Returns its stdout. */
    static String stop(TestNamespace.BackgroundProcess serve) throws InterruptedException {
        ProcessHandle.of(serve.pid()).ifPresent(ProcessHandle::destroy);
        Netns.ExecResult done = serve.waitFor(Duration.ofSeconds(30));
        assertEquals(0, done.exitCode(), done.describe());
        return done.stdout();
    }

    /** One of serve's counter lines ({@code  Name.CONSTANT   value}); 0 when absent. */
    static long counter(String serveOutput, String name) {
        Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(name) + "\\s+(\\d+)").matcher(serveOutput);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** serve's "Impairment.EVENT (out / in)  a / b" line: {a, b}. */
    static long[] impairment(String serveOutput, String event) {
        Matcher m = Pattern.compile("Impairment\\." + event + " \\(out / in\\)\\s+(\\d+) / (\\d+)").matcher(serveOutput);
        assertTrue(m.find(), "impairment counters printed: " + serveOutput);
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }

    /** The kernel's counter {@code name} in this namespace (nstat, absolute: a new namespace starts at 0). */
    static long nstat(TestNamespace ns, String name) {
        Netns.ExecResult r = ns.execOk("nstat", "-asz", name);
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\s+(\\d+)").matcher(r.stdout());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /**
     * Puts {@code client} behind {@code router} (where serve runs): a veth pair 10.15.0.1 ⇄ 10.15.0.2,
     * the router forwarding between it and the TUN device. Loss is made in the router's FORWARD
     * chain: a random drop in a sending host's own output path is reported back to its TCP (which
     * just sends the segment later — no loss at all), while a router's drop is invisible to both ends,
     * as on a real lossy path.
     */
    static void route(TestNamespace client, TestNamespace router) {
        client.execOk("ip", "link", "add", "ve-c", "type", "veth", "peer", "name", "ve-r", "netns", router.name());
        client.execOk("ip", "addr", "add", CLIENT + "/24", "dev", "ve-c");
        client.execOk("ip", "link", "set", "ve-c", "up");
        router.execOk("ip", "addr", "add", "10.15.0.2/24", "dev", "ve-r");
        router.execOk("ip", "link", "set", "ve-r", "up");
        router.execOk("sysctl", "-qw", "net.ipv4.ip_forward=1");
        client.execOk("ip", "route", "add", "10.13.0.0/24", "via", "10.15.0.2");
    }

    /** The router drops {@code percent}% of forwarded packets at random, each way (nftables numgen, counted). */
    static void kernelLoss(TestNamespace router, int percent) {
        RequiredTools.require("nft", "nftables");
        String rules = "table inet tt_loss {\n  chain lossy { type filter hook forward priority 0; "
                + "iifname \"tt0\" numgen random mod 100 < " + percent + " counter drop; "
                + "oifname \"tt0\" numgen random mod 100 < " + percent + " counter drop; }\n}\n";
        router.execOk("sh", "-c", "printf '%s' '" + rules + "' | nft -f -");
    }

    /** Packets the loss rules dropped: {from the stack, to the stack}. */
    static long[] kernelDropped(TestNamespace router) {
        String list = router.execOk("nft", "list", "table", "inet", "tt_loss").stdout();
        Matcher m = Pattern.compile("counter packets (\\d+)").matcher(list);
        long[] n = new long[2];
        for (int i = 0; i < 2; i++) {
            assertTrue(m.find(), list);
            n[i] = Long.parseLong(m.group(1));
        }
        return n;
    }

    /** curl GET /bytes/N: the sha256 of what arrived must be the pattern's. */
    static void getByteExact(TestNamespace ns, long n) throws Exception {
        Netns.ExecResult r = ns.exec(TRANSFER, "sh", "-c", "curl -sS --max-time " + (TRANSFER.toSeconds() - 10)
                + " http://" + STACK + "/bytes/" + n + " | sha256sum");
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals(KernelHttpEchoTest.sha256OfPattern(Math.toIntExact(n)), r.stdout().split(" ")[0], "GET " + n + " bytes: " + r.describe());
    }

    /** curl POST /echo with N random bytes: what comes back is compared byte by byte (and by sha256). */
    static void echoByteExact(TestNamespace ns, int n) {
        String f = "/tmp/tuntcp-loss-" + ns.name();
        Netns.ExecResult r = ns.exec(TRANSFER, "sh", "-c", "head -c " + n + " /dev/urandom > " + f
                + " && curl -sS --max-time " + (TRANSFER.toSeconds() - 10) + " --data-binary @" + f
                + " -H 'Content-Type: application/octet-stream' http://" + STACK + "/echo -o " + f + ".back"
                + " && [ \"$(sha256sum < " + f + ")\" = \"$(sha256sum < " + f + ".back)\" ] && cmp " + f + " " + f + ".back;"
                + " rc=$?; rm -f " + f + " " + f + ".back; exit $rc");
        assertEquals(0, r.exitCode(), "POST /echo " + n + " bytes: " + r.describe());
    }

    /** GET under 3% kernel-made loss each way: the stack's sender recovers (RFC 6298, SACK, RACK-TLP). */
    @Test
    void kernelMadeLossOfThreePercentEachWayGetIsByteExact(TestNamespace router) throws Exception {
        RequiredTools.require("curl", "curl");
        try (TestNamespace client = TestNamespace.create()) {
            String out = underKernelLoss(router, client, () -> getByteExact(client, LOSSY_BYTES));
            assertTrue(counter(out, "TcpStat.RETRANSMITS") > 0, "the stack repaired its losses: " + out);
            // The kernel SACKs: RACK (RFC 8985) marks the losses by time and tail loss probes go out.
            assertTrue(counter(out, "TcpStat.SACK_RECOVERIES") > 0, "SACK recoveries: " + out);
            assertTrue(counter(out, "TcpStat.RACK_LOSSES") > 0, "RACK marked losses: " + out);
            assertTrue(counter(out, "TcpStat.TLP_PROBES") > 0, "tail loss probes: " + out);
        }
    }

    /**
     * {@code serve --impair} (loss, duplication, reordering, corruption both ways): GET byte-exact, every
     * kind of impairment happened each way, and corrupted packets were caught by the checksums of the
     * receiving side — the stack's for packets to it, the kernel's for packets from it.
     */
    @Test
    void servesOwnImpairmentIsRepairedByteExactAndCorruptionIsCaughtByBothChecksums(TestNamespace router) throws Exception {
        RequiredTools.require("curl", "curl");
        try (TestNamespace client = TestNamespace.create()) {
            route(client, router);
            TestNamespace.BackgroundProcess serve = serve(router, "--impair", IMPAIR);
            getByteExact(client, LOSSY_BYTES);
            String out = stop(serve);
            for (String event : new String[] {"LOST", "DUPLICATED", "REORDERED", "CORRUPTED"}) {
                long[] n = impairment(out, event);
                assertTrue(n[0] > 0 && n[1] > 0, event + " both ways: " + n[0] + " / " + n[1]);
            }
            long caughtByStack = counter(out, "ParseError.TCP_BAD_CHECKSUM") + counter(out, "ParseError.IPV4_BAD_CHECKSUM");
            assertTrue(caughtByStack > 0, "the stack's checksums caught corrupted packets: " + out);
            // Outbound: the router checks IP headers, the client's kernel the TCP checksum.
            long caughtByKernel = nstat(client, "TcpInCsumErrors") + nstat(router, "IpInHdrErrors")
                    + nstat(router, "IpExtInCsumErrors") + nstat(client, "IpExtInCsumErrors");
            assertTrue(caughtByKernel > 0, "the kernel's checksums caught corrupted packets");
        }
    }

    /** Window scale, timestamps and SACK-permitted negotiated by the kernel and the stack, read by tshark. */
    @Test
    void captureShowsWindowScaleTimestampsAndSackPermittedInBothSyns(TestNamespace router) throws Exception {
        RequiredTools.require("curl", "curl");
        RequiredTools.require("tcpdump", "tcpdump");
        RequiredTools.require("tshark", "tshark");
        try (TestNamespace client = TestNamespace.create()) {
            route(client, router);
            TestNamespace.BackgroundProcess serve = serve(router);
            String pcap = "/tmp/tuntcp-syn-" + client.name() + ".pcap";
            TestNamespace.BackgroundProcess capture = startCapture(client, pcap);
            try {
                getByteExact(client, 1 << 20);
                finishCapture(capture);
                stop(serve);
                String syns = client.execOk("tshark", "-r", pcap, "-Y", "tcp.flags.syn == 1", "-T", "fields", "-E", "separator=|",
                        "-e", "ip.src", "-e", "tcp.options.wscale.shift", "-e", "tcp.options.timestamp.tsval",
                        "-e", "tcp.options.sack_perm").stdout();
                for (String from : new String[] {CLIENT, STACK}) {
                    String line = syns.lines().filter(l -> l.startsWith(from + "|")).findFirst()
                            .orElseThrow(() -> new AssertionError("no SYN from " + from + " in " + syns));
                    String[] f = line.split("\\|", -1);
                    assertTrue(!f[1].isEmpty() && !f[2].isEmpty() && !f[3].isEmpty(),
                            "window scale, timestamps and SACK-permitted in the SYN from " + from + ": " + line);
                }
            } finally {
                capture.kill();
                client.exec("rm", "-f", pcap);
            }
        }
    }

    @Test
    void aCleanLinkMovesOneGibibyteWithoutARetransmission(TestNamespace ns) throws Exception {
        RequiredTools.require("curl", "curl");
        TestNamespace.BackgroundProcess serve = serve(ns);
        Netns.ExecResult r = ns.exec(TRANSFER, "sh", "-c", "curl -sS --max-time " + (TRANSFER.toSeconds() - 10)
                + " -o /dev/null -w '%{size_download} %{speed_download}' http://" + STACK + "/bytes/" + CLEAN_BYTES);
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals(String.valueOf(CLEAN_BYTES), r.stdout().split(" ")[0], r.describe());
        String out = stop(serve);
        System.out.println("clean " + CLEAN_BYTES + " bytes: " + r.stdout().split(" ")[1] + " B/s");
        assertEquals(0, counter(out, "TcpStat.RETRANSMITS"), out);
        assertEquals(0, counter(out, "TcpStat.RETRANSMIT_TIMEOUTS"), out);
        assertEquals(0, nstat(ns, "TcpRetransSegs"), "the kernel retransmitted nothing either");
    }

    // --- the receive side under loss (rx): the kernel uploads, the stack holds out-of-order data ---

    /** POST /echo under 3% kernel-made loss each way: the stack receives out of order and reassembles. */
    @Test
    void kernelMadeLossOfThreePercentEachWayEchoIsByteExact(TestNamespace router) throws Exception {
        RequiredTools.require("curl", "curl");
        try (TestNamespace client = TestNamespace.create()) {
            String out = underKernelLoss(router, client, () -> echoByteExact(client, LOSSY_BYTES));
            assertTrue(nstat(client, "TcpRetransSegs") > 0, "the kernel repaired its losses");
            assertTrue(counter(out, "TcpStat.OUT_OF_ORDER_QUEUED") > 0, "the stack held out-of-order data: " + out);
        }
    }

    /** POST /echo through serve's own loss, duplication, reordering and corruption: byte-exact both ways. */
    @Test
    void servesOwnImpairmentEchoIsByteExact(TestNamespace router) throws Exception {
        RequiredTools.require("curl", "curl");
        try (TestNamespace client = TestNamespace.create()) {
            route(client, router);
            TestNamespace.BackgroundProcess serve = serve(router, "--impair", IMPAIR);
            echoByteExact(client, LOSSY_BYTES);
            String out = stop(serve);
            assertTrue(counter(out, "TcpStat.OUT_OF_ORDER_QUEUED") > 0, "the stack held out-of-order data: " + out);
            assertTrue(counter(out, "TcpStat.DUPLICATE_SEGMENTS") > 0, "duplicates were seen (and D-SACKed): " + out);
        }
    }

    /**
     * Under 3% loss the stack, receiving the kernel's upload out of order, sends SACK blocks (RFC 2018
     * §4), read by tshark from a capture on the client's side, and the kernel's recovery uses them.
     */
    @Test
    void captureShowsSackBlocksSentByTheStackUnderLoss(TestNamespace router) throws Exception {
        RequiredTools.require("curl", "curl");
        RequiredTools.require("tcpdump", "tcpdump");
        RequiredTools.require("tshark", "tshark");
        try (TestNamespace client = TestNamespace.create()) {
            route(client, router);
            TestNamespace.BackgroundProcess serve = serve(router);
            kernelLoss(router, 3);
            String pcap = "/tmp/tuntcp-sack-" + client.name() + ".pcap";
            TestNamespace.BackgroundProcess capture = startCapture(client, pcap);
            try {
                echoByteExact(client, LOSSY_BYTES / 16); // 4 MiB: enough losses to need SACK blocks
                finishCapture(capture);
                stop(serve);
                String sacks = client.execOk("tshark", "-r", pcap, "-Y", "ip.src == " + STACK + " && tcp.options.sack_le",
                        "-T", "fields", "-e", "frame.number").stdout();
                assertTrue(sacks.lines().count() > 0, "the stack sent SACK blocks");
                assertTrue(nstat(client, "TcpExtTCPSackRecovery") > 0, "the kernel recovered with the stack's SACK blocks");
            } finally {
                capture.kill();
                client.exec("rm", "-f", pcap);
            }
        }
    }

    /** A transfer from {@code client} to the stack that may throw (it runs processes). */
    private interface Transfer {
        void run() throws Exception;
    }

    /**
     * Serves in {@code router}, drops 3% each way in the router's nftables, runs {@code transfer}
     * from {@code client} (routed through the router), and returns serve's output once the router
     * has been seen to drop packets in both directions.
     */
    private static String underKernelLoss(TestNamespace router, TestNamespace client, Transfer transfer) throws Exception {
        route(client, router);
        TestNamespace.BackgroundProcess serve = serve(router);
        kernelLoss(router, 3);
        transfer.run();
        long[] dropped = kernelDropped(router);
        String out = stop(serve);
        assertTrue(dropped[0] > 0 && dropped[1] > 0, "the router dropped packets both ways: " + dropped[0] + ", " + dropped[1]);
        return out;
    }

    /** tcpdump of port 80 on the client's side of the router, started and listening. */
    private static TestNamespace.BackgroundProcess startCapture(TestNamespace client, String pcap) throws InterruptedException {
        return client.startCapture("tcpdump", "-Z", "root", "-q", "--immediate-mode", "-U",
                "-i", "ve-c", "-s", "128", "-w", pcap, "tcp", "port", "80");
    }

    /** SIGTERM: tcpdump flushes the capture file and exits. */
    private static void finishCapture(TestNamespace.BackgroundProcess capture) throws Exception {
        ProcessHandle.of(capture.pid()).ifPresent(ProcessHandle::destroy);
        capture.waitFor(Duration.ofSeconds(10));
    }
}
