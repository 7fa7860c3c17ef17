package dev.tuntcp.cli;

import dev.tuntcp.app.StandardServices;
import dev.tuntcp.link.LinkSetupException;
import dev.tuntcp.link.Netns;
import dev.tuntcp.link.PeerAddress;
import dev.tuntcp.stack.TcpTraceBridge;
import dev.tuntcp.stack.TunHost;
import dev.tuntcp.tcp.TcpConfig;
import dev.tuntcp.trace.CollectingSink;
import dev.tuntcp.trace.ConnectionTrace;
import dev.tuntcp.trace.LadderOptions;
import dev.tuntcp.trace.LadderText;
import dev.tuntcp.trace.SegmentEvent;
import dev.tuntcp.trace.StateChange;
import dev.tuntcp.trace.TraceEvent;
import dev.tuntcp.trace.TraceState;
import dev.tuntcp.wire.Ipv4Address;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tuntcp demo} (DESIGN §4): fully self-contained. Creates a private network namespace, runs
 * the stack on a TUN device inside it, lets the kernel's own TCP talk to it (curl and nc when
 * installed, Java sockets otherwise), prints the annotated ladder of each connection — three-way
 * handshake, transfer, four-way teardown — then removes the namespace.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Self-contained tour: handshake, transfer and teardown with the kernel in a private namespace.")
final class DemoCommand implements Callable<Integer> {
    static final String STACK = "10.13.0.2";
    static final String KERNEL = "10.13.0.1";
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(20);

    @Option(names = "--absolute", description = "show absolute sequence numbers instead of relative ones")
    boolean absolute;

    @Option(names = "--no-color", description = "no ANSI colours")
    boolean noColor;

    private final PrintStream out;
    private final PrintStream err;

    DemoCommand() {
        this(System.out, System.err);
    }

    DemoCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        String ns = "tuntcp-demo-" + ProcessHandle.current().pid();
        try {
            Netns.add(ns);
        } catch (RuntimeException e) {
            err.println("tuntcp demo: cannot create a network namespace (" + oneLine(e)
                    + ") — run it as root: sudo ./tuntcp demo (needs iproute2)");
            return 1;
        }
        Thread cleanup = new Thread(() -> deleteQuietly(ns), "demo-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            return run(ns);
        } catch (LinkSetupException e) {
            err.println("tuntcp demo: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("tuntcp demo: " + oneLine(e));
            return 1;
        } finally {
            deleteQuietly(ns);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
        }
    }

    private int run(String ns) throws Exception {
        Netns.exec(ns, STEP_TIMEOUT, "ip", "link", "set", "lo", "up");
        TunHost host = Netns.call(ns, STEP_TIMEOUT, () -> TunHost.open("tt0", Ipv4Address.parse(STACK),
                PeerAddress.parse(KERNEL + "/24"), 0, new TcpConfig(), null));
        CollectingSink trace = new CollectingSink();
        try (host) {
            host.loop().start("tuntcp-demo-stack");
            host.call(() -> {
                host.tcp().tcp().setTraceListener(new TcpTraceBridge(trace, host.loop().clock().nanos()));
                StandardServices.install(host.tcp(), host.counters());
                return null;
            });
            banner(ns);
            boolean curl = Netns.exec(ns, STEP_TIMEOUT, "sh", "-c", "command -v curl").ok();
            boolean nc = Netns.exec(ns, STEP_TIMEOUT, "sh", "-c", "command -v nc").ok();

            section("1. curl http://" + STACK + "/ — the kernel opens, asks, and closes first",
                    "The three-way handshake (SYN, SYN/ACK, ACK), one HTTP request and response, then the"
                            + " four-way teardown: curl's FIN, our ACK, our FIN, the kernel's last ACK.");
            int mark = trace.size();
            String body = curl
                    ? Netns.exec(ns, STEP_TIMEOUT, "curl", "-sS", "--max-time", "10", "http://" + STACK + "/").stdout()
                    : JavaPeer.httpGet(ns, STACK, 80, STEP_TIMEOUT);
            out.println("  response: " + firstLine(body) + (curl ? "  (curl)" : "  (Java socket in the namespace)"));
            showConnection(trace, mark);

            section("2. printf … | nc -N " + STACK + " 7 — half-close: a FIN closes one direction only",
                    "nc sends its line and, at the end of its input, shuts down its sending side (FIN)."
                            + " TCP is full duplex: after that FIN our side may still send, so we ACK it at once"
                            + " and send our own FIN only when the echo service is done. Two FINs, two ACKs:"
                            + " four segments, not three.");
            mark = trace.size();
            String echoed = nc
                    ? Netns.exec(ns, STEP_TIMEOUT, "sh", "-c", "printf 'hello, tuntcp\\n' | nc -N -w 5 " + STACK + " 7").stdout()
                    : JavaPeer.echoHalfClose(ns, STACK, 7, "hello, tuntcp\n", STEP_TIMEOUT);
            out.println("  echoed: " + firstLine(echoed));
            showConnection(trace, mark);

            out.println();
            out.println("Counters: " + host.call(() -> host.counters().snapshot()));
        }
        out.println();
        out.println("Done: the stack and namespace " + ns + " are gone. Next: sudo ./tuntcp serve --help,"
                + " sudo ./tuntcp connect --help.");
        return 0;
    }

    /** Waits until the connection opened after {@code mark} has finished on our side, then draws it. */
    private void showConnection(CollectingSink trace, int mark) {
        trace.await(e -> isFinished(e, trace, mark), STEP_TIMEOUT);
        List<TraceEvent> events = trace.snapshot();
        List<TraceEvent> mine = events.subList(Math.min(mark, events.size()), events.size());
        List<ConnectionTrace> connections = ConnectionTrace.split(mine);
        if (connections.isEmpty()) {
            out.println("  (no TCP segments were seen)");
            return;
        }
        LadderOptions options = LadderOptions.defaults()
                .explain(true)
                .color(!noColor && LadderText.terminalWantsColor())
                .peerName("kernel")
                .stackName("tuntcp");
        if (absolute) {
            options = options.numbers(dev.tuntcp.trace.SeqStyle.ABSOLUTE);
        }
        out.println();
        out.println(LadderText.render(connections.get(0), options));
    }

    /** True once our side of the connection reached CLOSED or TIME-WAIT. */
    private static boolean isFinished(TraceEvent e, CollectingSink trace, int mark) {
        if (e instanceof StateChange sc) {
            return sc.to() == TraceState.CLOSED || sc.to() == TraceState.TIME_WAIT;
        }
        return e instanceof SegmentEvent s && (s.stateAfter() == TraceState.CLOSED || s.stateAfter() == TraceState.TIME_WAIT);
    }

    private void banner(String ns) {
        out.println("tuntcp demo: a user-space TCP/IPv4 stack talking to the Linux kernel's own TCP.");
        out.println("  namespace " + ns + ": kernel " + KERNEL + "/24 on TUN tt0  ⇄  tuntcp " + STACK
                + " (Java, this process)");
        out.println("  Left: the kernel (its states inferred from the segments, marked *). Right: tuntcp.");
    }

    private void section(String title, String why) {
        out.println();
        out.println("── " + title);
        out.println("   " + why);
    }

    private static String firstLine(String s) {
        if (s == null || s.isEmpty()) {
            return "(nothing)";
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        String line = nl < 0 ? t : t.substring(0, nl) + " …";
        return line.length() > 100 ? line.substring(0, 100) + " …" : line;
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        return (m == null ? e.getClass().getSimpleName() : m).replace('\n', ' ');
    }

    private static void deleteQuietly(String ns) {
        try {
            if (Netns.exists(ns)) {
                Netns.delete(ns);
            }
        } catch (RuntimeException ignored) {
            // best effort: the namespace may already be gone
        }
    }
}
