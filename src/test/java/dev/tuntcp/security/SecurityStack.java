package dev.tuntcp.security;

import dev.tuntcp.app.StandardServices;
import dev.tuntcp.link.Netns;
import dev.tuntcp.link.PeerAddress;
import dev.tuntcp.stack.TunHost;
import dev.tuntcp.tcp.TcpConfig;
import dev.tuntcp.tcp.TcpLayer;
import dev.tuntcp.testing.RequiredTools;
import dev.tuntcp.testing.TestNamespace;
import dev.tuntcp.wire.Ipv4Address;
import java.time.Duration;

/**
 * The whole stack with its standard services (echo 7, discard 9, chargen 19, HTTP 80) on tt0 in a
 * {@code tt-sec-} namespace of its own: kernel 10.13.0.1/24, stack 10.13.0.2. Closing it stops the
 * stack and deletes the namespace.
 */
final class SecurityStack implements AutoCloseable {
    static final String STACK = "10.13.0.2";
    static final String PYTHON = RequiredTools.PYTHON;

    final TestNamespace ns;
    final TunHost host;

    SecurityStack(TcpConfig config) throws Exception {
        ns = TestNamespace.create("tt-sec-");
        TunHost h = null;
        try {
            h = ns.call(() -> TunHost.open("tt0", Ipv4Address.parse(STACK), PeerAddress.parse("10.13.0.1/24"), 0,
                    config, null));
            h.loop().start("stack-" + ns.name());
            TunHost started = h;
            h.call(() -> {
                StandardServices.install(started.tcp(), started.counters());
                return null;
            });
        } catch (Exception | Error e) {
            if (h != null) {
                h.close();
            }
            ns.close();
            throw e;
        }
        host = h;
    }

    long counter(Enum<?> counter) throws Exception {
        return host.call(() -> host.counters().get(counter));
    }

    String counters() throws Exception {
        return host.call(() -> host.counters().snapshot().toString());
    }

    TcpLayer layer() {
        return host.tcp().tcp();
    }

    /** Skips loudly, or fails under CI=true / TUNTCP_REQUIRE_TUN=1, when scapy is missing. */
    static void requireScapy() {
        RequiredTools.requireScapy();
    }

    @Override
    public void close() {
        try {
            host.close();
        } finally {
            ns.close();
        }
    }
}
