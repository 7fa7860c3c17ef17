package dev.tuntcp.cli;

import dev.tuntcp.ip.Ipv4Config;
import dev.tuntcp.ip.PacketTrace;
import dev.tuntcp.link.ImpairedLink;
import dev.tuntcp.link.ImpairedPath;
import dev.tuntcp.link.Impairment;
import dev.tuntcp.link.LinkDevice;
import dev.tuntcp.link.LinkSetupException;
import dev.tuntcp.link.PcapTap;
import dev.tuntcp.link.PcapWriter;
import dev.tuntcp.link.PeerAddress;
import dev.tuntcp.link.TunDevice;
import dev.tuntcp.link.TunOptions;
import dev.tuntcp.link.TunWaiter;
import dev.tuntcp.stack.Clock;
import dev.tuntcp.stack.Counters;
import dev.tuntcp.stack.EventLoop;
import dev.tuntcp.stack.Stack;
import dev.tuntcp.stack.StopSignals;
import dev.tuntcp.wire.Ipv4Address;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tuntcp serve} (DESIGN §4): creates or attaches the TUN device in the current network
 * namespace, gives the kernel side {@code --peer}, runs the stack on this thread until SIGINT or
 * SIGTERM, then stops gracefully, prints the counters and exits 0.
 *
 * <p>Wiring, inside out: {@link TunDevice} → {@link PcapTap} (if {@code --pcap}: the capture shows
 * what the kernel sent and received) → {@link ImpairedLink} (if {@code --impair}) → {@link PacketTrace}
 * (if {@code --trace}) → {@link Stack}. Services are installed by {@link #installServices}; TCP adds
 * its listeners there.
 *
 * <p>A user error (bad address, no permission, device busy) prints one line naming the fix to stderr
 * and exits non-zero, leaving nothing behind: a device this command created disappears when closed.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the stack on a TUN device: answers ping (TCP services come with the TCP layer).")
final class ServeCommand implements Callable<Integer> {
    /** Exit code for bad command-line values (picocli uses 2 for its own usage errors too). */
    static final int EXIT_USAGE = 2;
    /** Exit code for a device or system the user must fix (permissions, busy device). */
    static final int EXIT_SETUP = 1;
    /** How long a stop waits for services to close their connections. */
    private static final long DRAIN_NANOS = 2_000_000_000L;

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

    @Option(names = "--impair", paramLabel = "SPEC",
            description = "seeded impairment both ways, e.g. loss=0.05,dup=0.01,reorder=0.02,delay=5ms,corrupt=0.01,seed=7")
    String impair;

    @Option(names = "--trace", description = "print one line per packet")
    boolean trace;

    private final PrintStream out;
    private final PrintStream err;

    ServeCommand() {
        this(System.out, System.err);
    }

    ServeCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** The validated command line. */
    record Settings(String tun, int address, PeerAddress peer, int mtu, Path pcap, Impairment impairment, boolean trace) {
    }

    @Override
    public Integer call() {
        Settings settings;
        try {
            settings = validate();
        } catch (IllegalArgumentException e) {
            err.println("tuntcp serve: " + e.getMessage());
            return EXIT_USAGE;
        }
        try {
            return serve(settings);
        } catch (LinkSetupException e) {
            err.println("tuntcp serve: " + e.getMessage());
            return e.reason() == LinkSetupException.Reason.BAD_CONFIG
                    || e.reason() == LinkSetupException.Reason.BAD_NAME ? EXIT_USAGE : EXIT_SETUP;
        }
    }

    /** Checks the values before anything is created; throws with a one-line message naming the fix. */
    Settings validate() {
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
        Impairment impairment;
        try {
            impairment = impair == null ? null : Impairment.parse(impair);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--impair: " + e.getMessage());
        }
        return new Settings(tun, address, kernel, mtu, pcap, impairment, trace);
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

    private int serve(Settings s) {
        Counters counters = new Counters();
        TunDevice device = TunDevice.openConfigured(TunOptions.named(s.tun()), s.peer(), s.mtu(), counters);
        LinkDevice link = device;
        TunWaiter waiter = null;
        Stack stack = null;
        try {
            waiter = new TunWaiter(device);
            if (s.pcap() != null) {
                PcapWriter writer;
                try {
                    writer = PcapWriter.create(s.pcap());
                } catch (IOException e) {
                    throw new LinkSetupException(LinkSetupException.Reason.BAD_CONFIG, 0, "cannot write --pcap "
                            + s.pcap() + ": " + e.getMessage() + " — choose a writable path");
                }
                link = new PcapTap(link, writer, PcapTap.wallClock(), counters);
            }
            EventLoop loop = new EventLoop(Clock.system(), waiter);
            ImpairedLink impaired = null;
            if (s.impairment() != null) {
                impaired = new ImpairedLink(link, s.impairment(), loop.timers());
                link = impaired;
            }
            if (s.trace()) {
                link = new PacketTrace(link, loop.clock(), out);
            }
            stack = new Stack(loop, link, new Ipv4Config(s.address(), s.peer().prefixLength()), counters,
                    PooledByteBufAllocator.DEFAULT, null);
            installServices(stack);
            TunWaiter w = waiter;
            loop.addPoller(() -> {
                if (w.deviceFailed()) {
                    err.println("tuntcp serve: device " + device.name() + " went away — stopping");
                    loop.stop(0);
                }
                return 0;
            });
            StopSignals.install(() -> loop.stop(DRAIN_NANOS));
            out.println("tuntcp: serving " + Ipv4Address.toString(s.address()) + " on " + device.name()
                    + " (kernel side " + s.peer() + ", mtu " + device.mtu() + ")"
                    + (s.impairment() != null ? ", impairment " + s.impairment() : "")
                    + (s.pcap() != null ? ", recording to " + s.pcap() : "") + " — Ctrl-C to stop");
            out.flush();
            loop.run();
            printCounters(counters, impaired);
            return 0;
        } finally {
            if (stack != null) {
                stack.close();
            } else {
                link.close();
            }
            if (waiter != null) {
                waiter.close();
            }
        }
    }

    /**
     * Where the services on {@code --addr} are installed (DESIGN §4: HTTP 80, echo 7, discard 9,
     * chargen 19). ICMP echo is answered by the IP layer itself; the TCP layer registers with
     * {@code stack.ipv4Input().register(6, …)} and its listeners go here, with a
     * {@link EventLoop.StopHook} that closes connections gracefully on SIGINT/SIGTERM.
     */
    private void installServices(Stack stack) {
    }

    private void printCounters(Counters counters, ImpairedLink impaired) {
        out.println("tuntcp: stopped; counters:");
        for (Map.Entry<String, Long> e : counters.snapshot().entrySet()) {
            out.printf("  %-40s %d%n", e.getKey(), e.getValue());
        }
        if (impaired != null) {
            for (ImpairedPath.Event event : ImpairedPath.Event.values()) {
                out.printf("  %-40s %d / %d%n", "Impairment." + event + " (out / in)",
                        impaired.outbound().count(event), impaired.inbound().count(event));
            }
        }
        out.flush();
    }
}
