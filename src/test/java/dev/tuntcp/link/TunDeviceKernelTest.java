package dev.tuntcp.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.stack.Counters;
import dev.tuntcp.testing.KernelTest;
import dev.tuntcp.testing.TestNamespace;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** TunDevice against the real kernel, inside a namespace each test creates and deletes. */
@KernelTest
class TunDeviceKernelTest {
    private static final PeerAddress PEER = PeerAddress.parse("10.13.0.1/24");
    private static final int STACK = PeerAddress.parseIpv4("10.13.0.2");
    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    @ParameterizedTest(name = "vnetHeader={0} writerThread={1}")
    @CsvSource({"false,false", "true,false", "false,true", "true,true"})
    void readsTheKernelsEchoRequestAndAnswersIt(boolean vnetHeader, boolean writerThread, TestNamespace ns)
            throws Exception {
        Counters counters = new Counters();
        TunDevice tun = ns.call(() -> TunDevice.open(TunOptions.named("tt0").withVnetHeader(vnetHeader), counters));
        try (tun; TunWaiter waiter = new TunWaiter(tun)) {
            if (writerThread) {
                // as serve runs it: writes on the writer thread, reads in io_uring batches
                tun.startWriterThread();
                assertTrue(tun.hasWriterThread());
                tun.batchReads();
                assertTrue(tun.readsBatched(), "io_uring available (kernel.io_uring_disabled = 0 here)");
            }
            KernelInterface.Result configured = tun.configure(PEER, 1500);
            assertTrue(configured.addressSet());
            assertEquals(PEER.address(), tun.kernel().address("tt0").getAsInt());
            assertEquals(PEER.netmask(), tun.kernel().netmask("tt0").getAsInt());
            assertTrue(tun.kernel().isUp("tt0"));
            assertEquals(1500, tun.mtu());
            String addr = ns.execOk("ip", "-4", "-o", "addr", "show", "dev", "tt0").stdout();
            assertTrue(addr.contains("inet 10.13.0.1/24"), addr);

            TestNamespace.BackgroundProcess ping = ns.start("ping", "-n", "-c", "1", "-W", "5", "10.13.0.2");
            List<ByteBuf> seen = new ArrayList<>();
            tun.setReceiver(seen::add);
            ByteBuf request = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (request == null && System.nanoTime() < deadline) {
                waiter.await(TimeUnit.MILLISECONDS.toNanos(200));
                tun.poll();
                for (ByteBuf p : seen) {
                    if (request == null && EchoPackets.isEchoRequestTo(p, STACK)) {
                        request = p;
                    } else {
                        p.release(); // IPv6 router solicitations, MLD reports, …
                    }
                }
                seen.clear();
            }
            assertNotNull(request, "no ICMP echo request to 10.13.0.2 read from the TUN");
            try {
                int i = request.readerIndex();
                assertEquals(vnetHeader ? TunDevice.VNET_HEADER_LENGTH : 0, i);
                assertEquals(4, request.getUnsignedByte(i) >> 4, "IP version");
                assertEquals(1, request.getUnsignedByte(i + 9), "protocol ICMP");
                assertEquals(PEER.address(), request.getInt(i + 12), "source");
                assertEquals(8, request.getUnsignedByte(i + 20), "ICMP type echo request");
                assertEquals(request.readableBytes(), request.getUnsignedShort(i + 2), "total length = read length");
                tun.send(EchoPackets.replyTo(request, ALLOC));
            } finally {
                request.release();
            }
            var result = ping.waitFor(Duration.ofSeconds(10));
            assertEquals(0, result.exitCode(), result.describe());
            assertTrue(result.stdout().contains("1 received"), result.stdout());
            assertTrue(counters.get(LinkCounter.PACKETS_IN) >= 1);
        }
        assertTrue(tun.isClosed());
        // (with the writer thread, its counts reach the counters on the loop thread: by close at the latest)
        assertEquals(1, counters.get(LinkCounter.PACKETS_OUT));
        assertEquals(0, counters.get(LinkCounter.WRITE_ERRORS));
        // A non-persistent device disappears with its fd.
        assertFalse(ns.exec("ip", "link", "show", "tt0").ok());
    }

    @Test
    void aPcapTapRecordsTheKernelsRequestAndOurReply(TestNamespace ns, @TempDir Path dir) throws Exception {
        Counters counters = new Counters();
        Path file = dir.resolve("ping.pcap");
        TunDevice tun = ns.call(() -> TunDevice.open("tt0", counters));
        long before = System.currentTimeMillis() / 1000;
        try (TunWaiter waiter = new TunWaiter(tun);
             PcapTap tap = new PcapTap(tun, PcapWriter.create(file), PcapTap.wallClock(), counters)) {
            tun.configure(PEER, 0);
            // Answer every echo request to 10.13.0.2, drop the rest (IPv6 noise).
            tap.setReceiver(p -> {
                try {
                    if (EchoPackets.isEchoRequestTo(p, STACK)) {
                        tap.send(EchoPackets.replyTo(p, ALLOC));
                    }
                } finally {
                    p.release();
                }
            });
            TestNamespace.BackgroundProcess ping = ns.start("ping", "-n", "-c", "2", "-i", "0.2", "-W", "5", "10.13.0.2");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (ping.isAlive() && System.nanoTime() < deadline) {
                waiter.await(TimeUnit.MILLISECONDS.toNanos(50));
                tap.poll();
            }
            var result = ping.waitFor(Duration.ofSeconds(5));
            assertEquals(0, result.exitCode(), result.describe());
        }
        List<String[]> rows = Tshark.fields(file, "ip.src", "ip.dst", "icmp.type", "icmp.seq", "ip.checksum.status",
                "icmp.checksum.status", "frame.time_epoch", "ip.version");
        List<String> icmp = new ArrayList<>();
        for (String[] r : rows) {
            if ("4".equals(r[7])) {
                assertEquals("1", r[4], "ip.checksum.status good: " + String.join(" ", r));
                assertEquals("1", r[5], "icmp.checksum.status good: " + String.join(" ", r));
                long seconds = Long.parseLong(r[6].substring(0, r[6].indexOf('.')));
                assertTrue(Math.abs(seconds - before) < 60, r[6]);
                icmp.add(r[0] + ">" + r[1] + " " + r[2] + " " + r[3]);
            }
        }
        assertEquals(List.of("10.13.0.1>10.13.0.2 8 1", "10.13.0.2>10.13.0.1 0 1",
                "10.13.0.1>10.13.0.2 8 2", "10.13.0.2>10.13.0.1 0 2"), icmp);
    }

    @Test
    void aRefusedConfigurationLeavesNoDeviceBehind(TestNamespace ns) {
        LinkSetupException e = assertThrows(LinkSetupException.class, () -> ns.call(
                () -> TunDevice.openConfigured(TunOptions.named("tt0"), PEER, 10, new Counters())));
        assertEquals(LinkSetupException.Reason.BAD_CONFIG, e.reason());
        assertEquals("the kernel refused MTU 10 for tt0 — choose an MTU between 68 and 65535", e.getMessage());
        assertFalse(ns.exec("ip", "link", "show", "tt0").ok(), "tt0 must be gone");
    }

    @Test
    void theControlSocketSeesOnlyItsNamespace(TestNamespace ns) throws Exception {
        try (TunDevice tun = ns.call(() -> TunDevice.open("tt0", new Counters()))) {
            assertTrue(tun.kernel().exists("tt0"));
            assertTrue(tun.kernel().exists("lo"));
            // The host's interfaces are invisible from the namespace's socket.
            assertFalse(tun.kernel().exists("eth0"));
            assertFalse(tun.kernel().address("tt0").isPresent());
            LinkSetupException e = assertThrows(LinkSetupException.class, () -> tun.kernel().mtu("nope0"));
            assertEquals("no device nope0 in this network namespace — check the --tun name (ip link show)", e.getMessage());
        }
    }

    @Test
    void aSecondOpenOfTheSameNameIsBusy(TestNamespace ns) throws Exception {
        Counters counters = new Counters();
        try (TunDevice first = ns.call(() -> TunDevice.open("tt0", counters))) {
            LinkSetupException e = assertThrows(LinkSetupException.class,
                    () -> ns.call(() -> TunDevice.open("tt0", counters)));
            assertEquals(LinkSetupException.Reason.DEVICE_BUSY, e.reason());
            assertEquals("device tt0 is busy — another process holds it; choose another --tun name", e.getMessage());
            assertFalse(first.isClosed());
        }
    }

    @Test
    void aNameTakenByAnotherKindOfDeviceIsRefused(TestNamespace ns) {
        LinkSetupException e = assertThrows(LinkSetupException.class,
                () -> ns.call(() -> TunDevice.open("lo", new Counters())));
        assertEquals(LinkSetupException.Reason.NOT_A_TUN, e.reason());
        assertTrue(e.getMessage().startsWith("device lo exists but is not a single-queue TUN device — choose another --tun name"),
                e.getMessage());
    }

    @Test
    void multiQueueDevicesOpenOneQueuePerCall(TestNamespace ns) throws Exception {
        Counters counters = new Counters();
        TunOptions options = TunOptions.named("ttmq").withMultiQueue(true);
        try (TunDevice q0 = ns.call(() -> TunDevice.open(options, counters));
             TunDevice q1 = ns.call(() -> TunDevice.open(options, counters))) {
            assertEquals("ttmq", q0.name());
            assertEquals("ttmq", q1.name());
            String link = ns.execOk("ip", "-d", "link", "show", "ttmq").stdout();
            assertTrue(link.contains("multi_queue"), link);
        }
    }

    @Test
    void theKernelPicksANameFromAPattern(TestNamespace ns) throws Exception {
        try (TunDevice tun = ns.call(() -> TunDevice.open("tt%d", new Counters()))) {
            assertEquals("tt0", tun.name());
            assertTrue(ns.execOk("ip", "link", "show", "tt0").stdout().contains("tt0"));
        }
    }
}
