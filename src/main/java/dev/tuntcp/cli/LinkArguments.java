package dev.tuntcp.cli;

import dev.tuntcp.link.LinkSetupException;
import dev.tuntcp.link.PeerAddress;
import dev.tuntcp.tcp.TcpConfig;
import dev.tuntcp.tcp.cc.CongestionAlgorithm;
import dev.tuntcp.wire.Ipv4Address;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The link options {@code serve} and {@code connect} share ({@code --tun}, {@code --addr},
 * {@code --peer}, {@code --mtu}, {@code --pcap}, {@code --cc}, {@code --busy-poll}; DESIGN §4), declared once as a picocli
 * mixin and checked before anything is created. Every problem is an
 * {@link IllegalArgumentException} whose message is one line naming the fix.
 */
final class LinkArguments {
    @Option(names = "--tun", required = true, paramLabel = "NAME", description = "TUN device to create or attach, e.g. tt0")
    String tun;

    @Option(names = "--addr", required = true, paramLabel = "A.B.C.D", description = "the stack's address, e.g. 10.13.0.2")
    String addr;

    @Option(names = "--peer", required = true, paramLabel = "A.B.C.D/LEN",
            description = "the kernel's address on the link with the prefix length, e.g. 10.13.0.1/24")
    String peer;

    @Option(names = "--mtu", paramLabel = "BYTES", description = "link MTU (default: keep the device's, normally 1500)")
    int mtu;

    @Option(names = "--pcap", paramLabel = "FILE", description = "record every packet in and out (pcap, raw IPv4)")
    Path pcap;

    @Option(names = "--cc", paramLabel = "ALGORITHM", description = "congestion control: newreno (default) or cubic")
    String cc;

    @Option(names = "--busy-poll", paramLabel = "MICROS", defaultValue = "" + DEFAULT_BUSY_POLL_MICROS,
            description = "after the event loop did work, keep polling the device for up to MICROS µs before"
                    + " sleeping in poll(2), like Linux's net.core.busy_poll (default: ${DEFAULT-VALUE}; 0: off)")
    int busyPollMicros;

    /** The event loop's busy-poll window unless {@code --busy-poll} says otherwise (see docs/architecture.md §4). */
    static final int DEFAULT_BUSY_POLL_MICROS = 50;
    /** Beyond 10 ms a "busy poll" is a spinning CPU, not a shortcut past a wake-up. */
    static final int MAX_BUSY_POLL_MICROS = 10_000;

    /** {@link #validate(String, String, int)} of this command line's values. */
    Link validate() {
        return validate(addr, peer, mtu);
    }

    /** {@link #tcpConfig(String)} of this command line's {@code --cc}. */
    TcpConfig tcpConfig() {
        return tcpConfig(cc);
    }

    /** {@code --busy-poll} in nanoseconds; throws with a one-line message naming the accepted range. */
    long busyPollNanos() {
        return busyPollNanos(busyPollMicros);
    }

    static long busyPollNanos(int micros) {
        if (micros < 0 || micros > MAX_BUSY_POLL_MICROS) {
            throw new IllegalArgumentException("bad --busy-poll " + micros + " — must be between 0 (off) and "
                    + MAX_BUSY_POLL_MICROS + " microseconds, e.g. --busy-poll 50");
        }
        return micros * 1000L;
    }

    /** The validated values: the stack's address (big-endian int) and the kernel's side. */
    record Link(int address, PeerAddress peer, int mtu) {
    }

    static Link validate(String addr, String peer, int mtu) {
        int address;
        try {
            address = Ipv4Address.parse(addr);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad --addr '" + addr + "' — expected A.B.C.D, e.g. --addr 10.13.0.2");
        }
        PeerAddress kernel;
        try {
            kernel = PeerAddress.parse(peer);
        } catch (LinkSetupException e) {
            throw new IllegalArgumentException("bad --peer '" + peer + "' — expected A.B.C.D/LEN, e.g. --peer 10.13.0.1/24");
        }
        String subnet = Ipv4Address.toString(kernel.address() & kernel.netmask()) + "/" + kernel.prefixLength();
        if (!kernel.contains(address)) {
            throw new IllegalArgumentException("--addr " + addr + " is outside the --peer subnet " + subnet
                    + " — pick an address inside it, e.g. " + Ipv4Address.toString(suggestion(kernel)));
        }
        if (address == kernel.address()) {
            throw new IllegalArgumentException("--addr " + addr + " is the kernel's own address (--peer) — pick another, e.g. "
                    + Ipv4Address.toString(suggestion(kernel)));
        }
        if (kernel.prefixLength() <= 30) {
            int host = address & ~kernel.netmask();
            if (host == 0 || host == ~kernel.netmask()) {
                throw new IllegalArgumentException("--addr " + addr + " is the " + (host == 0 ? "network" : "broadcast")
                        + " address of " + subnet + " — pick a host address, e.g. " + Ipv4Address.toString(suggestion(kernel)));
            }
        }
        if (mtu != 0 && (mtu < 68 || mtu > 65535)) {
            throw new IllegalArgumentException("bad --mtu " + mtu + " — must be between 68 (RFC 791) and 65535");
        }
        return new Link(address, kernel, mtu);
    }

    /** A host address in the peer's subnet other than the peer's. */
    private static int suggestion(PeerAddress kernel) {
        int network = kernel.address() & kernel.netmask();
        int candidate = network + 2;
        if (candidate == kernel.address() || !kernel.contains(candidate)) {
            candidate = network + 1;
        }
        return candidate == kernel.address() ? network : candidate;
    }

    /**
     * The TCP configuration for {@code --cc} (null: the default, NewReno); throws with a one-line
     * message naming the accepted values.
     */
    static TcpConfig tcpConfig(String cc) {
        try {
            return new TcpConfig().congestionControl(cc == null ? CongestionAlgorithm.NEWRENO : CongestionAlgorithm.parse(cc));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--cc: " + e.getMessage());
        }
    }

    /** The exit code for a failed device set-up: 2 for values the user typed wrong, 1 otherwise. */
    static int exitCode(LinkSetupException e) {
        return e.reason() == LinkSetupException.Reason.BAD_CONFIG
                || e.reason() == LinkSetupException.Reason.BAD_NAME ? ServeCommand.EXIT_USAGE : ServeCommand.EXIT_SETUP;
    }
}
