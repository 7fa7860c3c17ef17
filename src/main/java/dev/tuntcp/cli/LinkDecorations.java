package dev.tuntcp.cli;

import dev.tuntcp.ip.PacketTrace;
import dev.tuntcp.link.ImpairedLink;
import dev.tuntcp.link.ImpairedPath;
import dev.tuntcp.link.Impairment;
import dev.tuntcp.link.LinkDevice;
import dev.tuntcp.link.LinkSetupException;
import dev.tuntcp.link.PcapTap;
import dev.tuntcp.link.PcapWriter;
import dev.tuntcp.stack.Counters;
import dev.tuntcp.stack.EventLoop;
import dev.tuntcp.stack.TcpTraceBridge;
import dev.tuntcp.stack.TunHost;
import dev.tuntcp.trace.LinePrinter;
import dev.tuntcp.trace.TraceSink;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * What {@code --pcap}, {@code --impair} and {@code --trace} put around the TUN device, inside out:
 * device → {@link PcapTap} (the capture shows exactly what the kernel sent and received) →
 * {@link ImpairedLink} → {@link PacketTrace} (non-TCP packets such as ICMP) → the stack. TCP segments
 * are traced by the TCP layer itself ({@link #installTcpTrace}), so each prints once, with the state
 * change it caused (DESIGN §4).
 *
 * <p>Pass {@link #decorator()} to {@link TunHost#open}; it runs once, on the opening thread.
 */
final class LinkDecorations {
    private final Path pcap;
    private final Impairment impairment;
    private final PrintStream trace;
    /** The decorations' own counters (pcap errors); the host has its own set. */
    private final Counters counters = new Counters();
    private ImpairedLink impaired;
    private TraceSink printer;
    private long traceOrigin;

    /**
     * @param pcap where to record, or null
     * @param impairment what to impair, or null
     * @param trace where {@code --trace} lines go, or null for no trace
     */
    LinkDecorations(Path pcap, Impairment impairment, PrintStream trace) {
        this.pcap = pcap;
        this.impairment = impairment;
        this.trace = trace;
    }

    Function<EventLoop, UnaryOperator<LinkDevice>> decorator() {
        return loop -> device -> {
            LinkDevice link = device;
            if (pcap != null) {
                PcapWriter writer;
                try {
                    writer = PcapWriter.create(pcap);
                } catch (IOException e) {
                    throw new LinkSetupException(LinkSetupException.Reason.BAD_CONFIG, 0, "cannot write --pcap "
                            + pcap + ": " + e.getMessage() + " — choose a writable path");
                }
                link = new PcapTap(link, writer, PcapTap.wallClock(), counters);
            }
            if (impairment != null) {
                impaired = new ImpairedLink(link, impairment, loop.timers());
                link = impaired;
            }
            traceOrigin = loop.clock().nanos();
            if (trace != null) {
                link = new PacketTrace(link, loop.clock(), trace, false);
            }
            return link;
        };
    }

    /**
     * With {@code --trace}: one line per TCP segment and state change (TcpTraceBridge → LinePrinter),
     * flushed at the end of every loop round so a held-back segment never waits for the next event.
     * Call before the loop starts.
     */
    void installTcpTrace(TunHost host) {
        if (trace == null) {
            return;
        }
        TraceSink printer = TraceSink.safely(new LinePrinter(trace));
        this.printer = printer;
        host.tcp().tcp().setTraceListener(new TcpTraceBridge(printer, traceOrigin));
        host.loop().addPoller(() -> {
            printer.flush();
            return 0;
        });
    }

    /** Prints what the trace still holds back (after the loop has ended, e.g. the resets of a close). */
    void flushTrace() {
        if (printer != null) {
            printer.flush();
        }
    }

    /** Prints the decorations' counters (after the host's) in the same layout. */
    void printCounters(PrintStream out) {
        for (Map.Entry<String, Long> e : counters.snapshot().entrySet()) {
            out.printf("  %-40s %d%n", e.getKey(), e.getValue());
        }
        if (impaired != null) {
            for (ImpairedPath.Event event : ImpairedPath.Event.values()) {
                out.printf("  %-40s %d / %d%n", "Impairment." + event + " (out / in)",
                        impaired.outbound().count(event), impaired.inbound().count(event));
            }
        }
    }
}
