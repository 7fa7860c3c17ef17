package dev.tuntcp.e2e;

import dev.tuntcp.app.StandardServices;
import dev.tuntcp.link.PcapTap;
import dev.tuntcp.link.PcapWriter;
import dev.tuntcp.link.PeerAddress;
import dev.tuntcp.stack.Counters;
import dev.tuntcp.stack.TcpTraceBridge;
import dev.tuntcp.stack.TunHost;
import dev.tuntcp.tcp.TcpConfig;
import dev.tuntcp.testing.TestNamespace;
import dev.tuntcp.trace.CollectingSink;
import dev.tuntcp.wire.Ipv4Address;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The whole stack with its standard services on tt0 inside a test namespace: the kernel is
 * 10.13.0.1/24, the stack 10.13.0.2. Every TCP event is collected for assertions.
 */
final class KernelPeerStack implements AutoCloseable {
    static final String STACK = "10.13.0.2";
    static final String KERNEL = "10.13.0.1";

    final TunHost host;
    final CollectingSink trace = new CollectingSink(200_000);

    KernelPeerStack(TestNamespace ns) throws Exception {
        this(ns, null);
    }

    /** With {@code pcap} non-null, every packet in and out of the stack is recorded there (PcapTap). */
    KernelPeerStack(TestNamespace ns, Path pcap) throws Exception {
        Counters linkCounters = new Counters();
        host = ns.call(() -> TunHost.open("tt0", Ipv4Address.parse(STACK), PeerAddress.parse(KERNEL + "/24"), 0,
                new TcpConfig(), pcap == null ? null : loop -> device -> {
                    try {
                        return new PcapTap(device, PcapWriter.create(pcap), PcapTap.wallClock(), linkCounters);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
        host.loop().start("stack-" + ns.name());
        host.call(() -> {
            host.tcp().tcp().setTraceListener(new TcpTraceBridge(trace, host.loop().clock().nanos()));
            StandardServices.install(host.tcp(), host.counters());
            return null;
        });
    }

    Map<String, Long> counters() throws Exception {
        return host.call(() -> host.counters().snapshot());
    }

    @Override
    public void close() {
        host.close();
    }
}
