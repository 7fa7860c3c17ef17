package dev.tuntcp.lab.scenarios;

import static dev.tuntcp.lab.Seen.ACK;
import static dev.tuntcp.lab.Seen.FIN_ACK;

import dev.tuntcp.lab.LabSession;
import dev.tuntcp.lab.Scenario;
import dev.tuntcp.lab.Seen;
import dev.tuntcp.lab.StackEnd;
import dev.tuntcp.trace.ConnectionId;
import dev.tuntcp.trace.SegmentEvent;
import dev.tuntcp.trace.TraceEvent;
import dev.tuntcp.trace.TraceState;
import java.util.List;

/**
 * The four-way teardown started by the kernel (RFC 9293 §3.6, Figure 12): FIN, ACK, FIN, ACK.
 * tuntcp acknowledges the kernel's FIN as soon as its application has heard of it; this application
 * closes in a later turn of the event loop (as one that still had work to finish would), so the ACK
 * goes alone and only then does tuntcp's own FIN go — two FINs, two ACKs. (An application that
 * closes right inside the callback gets one FIN+ACK instead, as the kernel's delayed ACK gives in
 * fin-ack-combined.)
 */
public final class CloseByKernel implements Scenario {
    @Override
    public String name() {
        return "close-by-kernel";
    }

    @Override
    public String summary() {
        return "four-way teardown started by the kernel: FIN, ACK, FIN, ACK (tuntcp ends in CLOSED, the kernel in TIME-WAIT)";
    }

    @Override
    public void run(LabSession lab) throws Exception {
        StackEnd end = new StackEnd().whenInputShutdown(ch -> lab.later(ch::close));
        Opened c = Opened.byKernel(lab, end);
        ConnectionId id = c.id();
        lab.inKernel(() -> {
            c.kernel().close();
            return null;
        });
        lab.await("tuntcp to reach CLOSED", Seen.stackEnters(id, TraceState.CLOSED));
        lab.awaitKernel(TraceState.TIME_WAIT);
        Teardowns.checkFourWay(lab, id, false);
    }

    /** What the teardown scenarios check and explain. */
    static final class Teardowns {
        private Teardowns() {
        }

        /** Checks FIN, separate ACK (= FIN + 1), FIN, ACK; {@code stackFirst}: who closed first. */
        static void checkFourWay(LabSession lab, ConnectionId id, boolean stackFirst) {
            List<TraceEvent> events = lab.trace().snapshot();
            SegmentEvent fin1 = Seen.first(events, stackFirst ? Seen.out(id, FIN_ACK) : Seen.in(id, FIN_ACK)).orElse(null);
            SegmentEvent fin2 = Seen.first(events, stackFirst ? Seen.in(id, FIN_ACK) : Seen.out(id, FIN_ACK)).orElse(null);
            SegmentEvent ack1 = fin1 == null ? null : Seen.segments(events, id).stream()
                    .filter(s -> (stackFirst ? Seen.in(id, ACK) : Seen.out(id, ACK)).test(s)
                            && s.payloadLength() == 0 && s.ack() == fin1.seqEnd()).findFirst().orElse(null);
            SegmentEvent ack2 = fin2 == null ? null : Seen.segments(events, id).stream()
                    .filter(s -> (stackFirst ? Seen.out(id, ACK) : Seen.in(id, ACK)).test(s)
                            && s.ack() == fin2.seqEnd()).findFirst().orElse(null);
            String first = stackFirst ? "tuntcp" : "the kernel";
            String second = stackFirst ? "the kernel" : "tuntcp";
            lab.check(first + " sends the first FIN", fin1 != null);
            lab.check(second + " acknowledges it on its own, ack = FIN seq + 1", ack1 != null
                    && (fin2 == null || ack1.nanos() < fin2.nanos()));
            lab.check(second + " sends its own FIN afterwards", fin2 != null && ack1 != null && fin2.nanos() >= ack1.nanos());
            lab.check(first + " acknowledges the second FIN, ack = its seq + 1", ack2 != null);
            List<TraceState> kernel = lab.kernel().states();
            TraceState kernelEnd = stackFirst ? TraceState.CLOSED : TraceState.TIME_WAIT;
            lab.check("the kernel passes " + (stackFirst ? "CLOSE-WAIT and LAST-ACK" : "FIN-WAIT-2") + " and ends in "
                    + kernelEnd.label(), kernel.contains(kernelEnd)
                    && (stackFirst ? kernel.contains(TraceState.CLOSE_WAIT) : kernel.contains(TraceState.FIN_WAIT_2)),
                    "seen: " + kernel);
            if (fin1 == null || fin2 == null || ack1 == null || ack2 == null) {
                return;
            }
            lab.explain(cap(first) + " closed first: its FIN has seq " + Seen.abs(fin1.seq()) + " and consumes one"
                    + " sequence number, so " + second + " acknowledges it with ack " + Seen.abs(ack1.ack())
                    + " = FIN seq + 1. That ACK went alone: TCP is full duplex, and " + second + " still had"
                    + " its own direction open (CLOSE-WAIT) — it could have gone on sending.");
            lab.explain(cap(second) + " sent its FIN (seq " + Seen.abs(fin2.seq()) + ") only when its application"
                    + " closed, and " + first + " acknowledged it (ack " + Seen.abs(ack2.ack()) + "). Two FINs, two"
                    + " ACKs: four segments because each direction is closed on its own. " + cap(first)
                    + ", the side that closed first, waits in TIME-WAIT (2 × MSL) in case that last ACK is lost.");
        }

        static String cap(String s) {
            return Character.toUpperCase(s.charAt(0)) + s.substring(1);
        }
    }
}
