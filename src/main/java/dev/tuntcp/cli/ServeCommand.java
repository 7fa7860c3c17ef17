package dev.tuntcp.cli;

import dev.tuntcp.app.IperfTests;
import dev.tuntcp.app.StandardServices;
import dev.tuntcp.link.Impairment;
import dev.tuntcp.link.LinkSetupException;
import dev.tuntcp.link.PeerAddress;
import dev.tuntcp.link.TunOptions;
import dev.tuntcp.socket.ConnectionHandlerFactory;
import dev.tuntcp.socket.SocketStack;
import dev.tuntcp.stack.EventLoop;
import dev.tuntcp.stack.MultiQueueHost;
import dev.tuntcp.stack.StopSignals;
import dev.tuntcp.stack.TcpStack;
import dev.tuntcp.stack.TunHost;
import dev.tuntcp.stats.HostStats;
import dev.tuntcp.stats.StatsServer;
import dev.tuntcp.wire.Ipv4Address;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tuntcp serve} (DESIGN §4): creates or attaches the TUN device in the current network
 * namespace, gives the kernel side {@code --peer}, runs the stack on this thread until SIGINT or
 * SIGTERM, then stops gracefully, prints the counters and exits 0.
 *
 * <p>The stack is a {@link TunHost} (device, IPv4, TCP on one event loop, which this thread runs);
 * {@link LinkDecorations} adds {@code --pcap}, {@code --impair} and {@code --trace}; the services are
 * {@link StandardServices}. A stop closes every connection gracefully ({@link GracefulClose}), bounded
 * by {@link #DRAIN_NANOS}.
 *
 * <p>A user error (bad address, no permission, device busy) prints one line naming the fix to stderr
 * and exits non-zero, leaving nothing behind: a device this command created disappears when closed.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the stack on a TUN device: HTTP on 80, echo 7, discard 9, chargen 19, iperf3 5201; answers ping.")
final class ServeCommand implements Callable<Integer> {
    /** Exit code for bad command-line values (picocli uses 2 for its own usage errors too). */
    static final int EXIT_USAGE = 2;
    /** Exit code for a device or system the user must fix (permissions, busy device). */
    static final int EXIT_SETUP = 1;
    /** How long a stop waits for services to close their connections. */
    private static final long DRAIN_NANOS = 2_000_000_000L;

    @Mixin
    LinkArguments linkOptions;



    @Option(names = "--offload", description = "checksum and TCP segmentation offload through the TUN device's"
            + " virtio-net header (TUN_F_CSUM, TUN_F_TSO4): 64 KiB super-segments each way")
    boolean offload;

    @Option(names = "--queues", paramLabel = "N", defaultValue = "1",
            description = "open the TUN device with N queues (IFF_MULTI_QUEUE), one event loop thread each;"
                    + " connections are spread over the loops by a hash of their addresses and ports (default 1)")
    int queues = 1;

    @Option(names = "--impair", paramLabel = "SPEC",
            description = "seeded impairment both ways, e.g. loss=0.05,dup=0.01,reorder=0.02,delay=5ms,corrupt=0.01,seed=7")
    String impair;

    @Option(names = "--trace", description = "print one line per TCP segment (with the state change it caused) and per other packet")
    boolean trace;

    @Option(names = "--stats-socket", paramLabel = "PATH",
            description = "where `tuntcp stats` asks for the counters (default /run/tuntcp/<tun>.sock, or $TUNTCP_RUN_DIR/<tun>.sock)")
    Path statsSocket;

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
    record Settings(String tun, int address, PeerAddress peer, int mtu, Path pcap, Impairment impairment, boolean trace,
                    int queues) {
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
            return LinkArguments.exitCode(e);
        }
    }

    /** Checks the values before anything is created; throws with a one-line message naming the fix. */
    Settings validate() {
        LinkArguments.Link link = linkOptions.validate();
        Impairment impairment;
        try {
            impairment = impair == null ? null : Impairment.parse(impair);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--impair: " + e.getMessage());
        }
        linkOptions.tcpConfig(); // --cc checked here, used when the stack is made
        linkOptions.busyPollNanos(); // --busy-poll too
        if (queues < 1 || queues > MultiQueueHost.MAX_QUEUES) {
            throw new IllegalArgumentException("bad --queues " + queues + " — must be between 1 and "
                    + MultiQueueHost.MAX_QUEUES + " (the kernel's limit per TUN device), e.g. --queues 2");
        }
        if (queues > 1 && (linkOptions.pcap != null || impairment != null || trace)) {
            String option = linkOptions.pcap != null ? "--pcap" : impairment != null ? "--impair" : "--trace";
            throw new IllegalArgumentException(option + " works on one queue only — drop --queues " + queues
                    + " (or use --queues 1) to record, impair or trace");
        }
        return new Settings(linkOptions.tun, link.address(), link.peer(), link.mtu(), linkOptions.pcap, impairment, trace,
                queues);
    }

    private int serve(Settings s) {
        if (s.queues() > 1) {
            return serveQueues(s);
        }
        LinkDecorations decorations = new LinkDecorations(s.pcap(), s.impairment(), s.trace() ? out : null);
        TunHost host = TunHost.open(TunOptions.named(s.tun()).withOffload(offload), s.address(), s.peer(), s.mtu(), linkOptions.tcpConfig(), decorations.decorator());
        int code = 0;
        StatsServer stats = null;
        try {
            // write(2) on its own thread: the kernel's receive path it runs leaves the loop's core
            // (docs/benchmarks.md, issue 9 "the writer thread"). Only here: the lab and demo compare
            // the kernel's socket state right after each of our segments, which needs the write done.
            // Not with --offload: one write(2) then carries up to 64 KiB, and copying that into the
            // ring cost more CPU per GB than the hand-off saved (same document). Not with --queues:
            // their loops already occupy the cores.
            if (!offload) {
                host.device().startWriterThread();
                host.device().batchReads(); // and reads in batches, one system call for many packets
            }
            EventLoop loop = host.loop();
            host.busyPoll(linkOptions.busyPollNanos());
            decorations.installTcpTrace(host);
            List<SocketStack.Listening> listening = installServices(host);
            stats = HostStats.serve(host, s.address(), statsSocket, err);
            if (stats != null) {
                out.println("tuntcp: counters: tuntcp stats --socket " + stats.path());
            }
            loop.addStopHook(new GracefulClose(host.tcp(), listening));
            AtomicBoolean signalled = new AtomicBoolean();
            StopSignals.install(() -> {
                signalled.set(true);
                loop.stop(DRAIN_NANOS);
            });
            out.println("tuntcp: serving " + Ipv4Address.toString(s.address()) + " on " + host.device().name()
                    + " (kernel side " + s.peer() + ", mtu " + host.device().mtu()
                    + (offload ? ", offload csum+tso4" : "") + ")"
                    + ": http 80, echo 7, discard 9, chargen 19, iperf3 5201"
                    + (s.impairment() != null ? ", impairment " + s.impairment() : "")
                    + (s.pcap() != null ? ", recording to " + s.pcap() : "") + " — Ctrl-C to stop");
            out.flush();
            // The loop runs on a thread of its own (EventLoop.start: a Netty FastThreadLocalThread,
            // which takes the allocation-free path of Netty's buffer recycler) until a stop drains.
            awaitEnd(loop.start("tuntcp-serve"));
            if (!signalled.get()) {
                // TunHost stops the loop itself when the device fails (e.g. deleted with ip link del).
                err.println("tuntcp serve: device " + host.device().name() + " went away — stopping");
                code = EXIT_SETUP;
            }
        } finally {
            if (stats != null) {
                stats.close();
            }
            host.close(); // resets what did not finish closing within the drain time
            decorations.flushTrace();
        }
        out.println("tuntcp: stopped; counters:");
        for (Map.Entry<String, Long> e : host.counters().snapshot().entrySet()) {
            out.printf("  %-40s %d%n", e.getKey(), e.getValue());
        }
        decorations.printCounters(out);
        out.flush();
        return code;
    }

    private static void awaitEnd(Thread loopThread) {
        boolean interrupted = false;
        while (loopThread.isAlive()) {
            try {
                loopThread.join();
            } catch (InterruptedException e) {
                interrupted = true; // the loop ends through its stop signals, not through this thread
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * {@code --queues N} with N > 1: one stack per queue ({@link MultiQueueHost}), each with every
     * service and its own loop thread; this thread waits for queue 0's. A signal stops every loop;
     * each closes its own connections gracefully; the counters printed at the end are the sum.
     */
    private int serveQueues(Settings s) {
        MultiQueueHost host = MultiQueueHost.open(TunOptions.named(s.tun()).withOffload(offload), s.queues(),
                s.address(), s.peer(), s.mtu(), linkOptions.tcpConfig());
        int code = 0;
        StatsServer stats = null;
        try {
            IperfTests iperfTests = new IperfTests();
            for (TunHost queue : host.queues()) {
                queue.busyPoll(linkOptions.busyPollNanos());
                List<SocketStack.Listening> listening = installServices(queue, iperfTests);
                queue.loop().addStopHook(new GracefulClose(queue.tcp(), listening));
            }
            stats = HostStats.serve(host.queues(), s.address(), statsSocket, err);
            if (stats != null) {
                out.println("tuntcp: counters: tuntcp stats --socket " + stats.path());
            }
            AtomicBoolean signalled = new AtomicBoolean();
            StopSignals.install(() -> {
                signalled.set(true);
                host.stop(DRAIN_NANOS);
            });
            TunHost first = host.queue(0);
            out.println("tuntcp: serving " + Ipv4Address.toString(s.address()) + " on " + host.name()
                    + " (kernel side " + s.peer() + ", mtu " + first.device().mtu()
                    + (offload ? ", offload csum+tso4" : "") + ", " + host.size() + " queues)"
                    + ": http 80, echo 7, discard 9, chargen 19, iperf3 5201 — Ctrl-C to stop");
            out.flush();
            // Every queue's loop on a thread of its own (EventLoop.start: a FastThreadLocalThread,
            // Netty's allocation-free recycler path); this thread waits for queue 0 to drain.
            host.start("tuntcp", 0);
            while (!first.loop().awaitTermination(1, TimeUnit.HOURS)) {
                // serving
            }
            host.stop(DRAIN_NANOS); // queue 0 may have stopped alone (its device failed): stop the rest
            host.awaitTermination(DRAIN_NANOS + TimeUnit.SECONDS.toNanos(5), TimeUnit.NANOSECONDS);
            if (!signalled.get()) {
                err.println("tuntcp serve: device " + host.name() + " went away — stopping");
                code = EXIT_SETUP;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            code = EXIT_SETUP;
        } finally {
            if (stats != null) {
                stats.close();
            }
            host.close();
        }
        out.println("tuntcp: stopped; counters (sum of " + host.size() + " queues):");
        Map<String, Long> sum = new java.util.TreeMap<>();
        for (TunHost queue : host.queues()) {
            queue.counters().snapshot().forEach((k, v) -> sum.merge(k, v, Long::sum));
        }
        for (Map.Entry<String, Long> e : sum.entrySet()) {
            out.printf("  %-40s %d%n", e.getKey(), e.getValue());
        }
        out.flush();
        return code;
    }

    /** The services of one queue's loop, sharing the iperf3 test slot with the other loops. */
    private static List<SocketStack.Listening> installServices(TunHost host, IperfTests iperfTests) {
        List<SocketStack.Listening> listening = new ArrayList<>();
        for (Map.Entry<Integer, ConnectionHandlerFactory> e
                : StandardServices.forLoop(host.counters(), host.tcp(), iperfTests).entrySet()) {
            try {
                listening.add(host.tcp().listen(e.getKey(), e.getValue()));
            } catch (BindException impossible) {
                throw new IllegalStateException("a fresh stack already listens on port " + e.getKey(), impossible);
            }
        }
        return listening;
    }

    /**
     * The services on {@code --addr} (DESIGN §4): HTTP 80, echo 7, discard 9, chargen 19. ICMP echo
     * is answered by the IP layer itself. Runs on this thread before the loop starts.
     */
    private static List<SocketStack.Listening> installServices(TunHost host) {
        List<SocketStack.Listening> listening = new ArrayList<>();
        for (Map.Entry<Integer, ConnectionHandlerFactory> e : StandardServices.all(host.counters()).entrySet()) {
            try {
                listening.add(host.tcp().listen(e.getKey(), e.getValue()));
            } catch (BindException impossible) {
                throw new IllegalStateException("a fresh stack already listens on port " + e.getKey(), impossible);
            }
        }
        return listening;
    }

    /**
     * SIGINT/SIGTERM: stop accepting (new SYNs get RST, RFC 9293 §3.10.7.1), CLOSE every connection
     * (RFC 9293 §3.10.4: queued data, then FIN) and keep the loop running until none has data or a FIN
     * in flight, or the drain time has passed; {@link TunHost#close} aborts what is left.
     */
    private static final class GracefulClose implements EventLoop.StopHook {
        private final TcpStack tcp;
        private final List<SocketStack.Listening> listening;

        GracefulClose(TcpStack tcp, List<SocketStack.Listening> listening) {
            this.tcp = tcp;
            this.listening = listening;
        }

        @Override
        public void onStop() {
            listening.forEach(SocketStack.Listening::close);
            tcp.closeAllGracefully();
        }

        @Override
        public boolean drained() {
            return tcp.closeAllGracefully();
        }
    }
}
