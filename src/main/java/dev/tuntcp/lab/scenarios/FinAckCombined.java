package dev.tuntcp.lab.scenarios;

import dev.tuntcp.lab.LabSession;
import dev.tuntcp.lab.Scenario;
import dev.tuntcp.lab.Seen;
import dev.tuntcp.lab.StackEnd;
import dev.tuntcp.trace.ConnectionId;
import dev.tuntcp.trace.Direction;
import dev.tuntcp.trace.SegmentEvent;
import dev.tuntcp.trace.TraceEvent;
import dev.tuntcp.trace.TraceState;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * FIN and ACK combined: tuntcp closes first; the kernel's application closes as soon as its kernel
 * has taken the FIN, with nothing left to send, before the kernel's delayed ACK timer fires — so
 * the kernel's FIN carries the ACK of tuntcp's FIN and the teardown takes three segments.
 */
public final class FinAckCombined implements Scenario {
    @Override
    public String name() {
        return "fin-ack-combined";
    }

    @Override
    public String summary() {
        return "the kernel closes at once on end of stream: its FIN carries the ACK (three segments, not four)";
    }

    @Override
    public void run(LabSession lab) throws Exception {
        StackEnd end = new StackEnd();
        Opened c = Opened.byKernel(lab, end);
        ConnectionId id = c.id();
        // The kernel's application closes the instant its kernel has taken tuntcp's FIN (CLOSE-WAIT):
        // faster than any real application, so the kernel's delayed ACK cannot fire first.
        CompletableFuture<TraceState> closedIn = new CompletableFuture<>();
        lab.link().afterPassing(Direction.OUT, Seen.segment(Direction.OUT, id, Seen.FIN_ACK),
                () -> closeOnEndOfStream(lab, c, closedIn));
        lab.later(() -> c.stack().close());
        TraceState when = lab.get(closedIn, "the kernel to take tuntcp's FIN");
        lab.await("tuntcp to reach TIME-WAIT", Seen.stackEnters(id, TraceState.TIME_WAIT));
        lab.awaitKernel(TraceState.CLOSED);

        List<TraceEvent> events = lab.trace().snapshot();
        SegmentEvent ourFin = Seen.first(events, Seen.out(id, Seen.FIN_ACK)).orElse(null);
        SegmentEvent theirFin = Seen.first(events, Seen.in(id, Seen.FIN_ACK)).orElse(null);
        boolean separateAck = ourFin != null && Seen.segments(events, id).stream().anyMatch(s -> s.direction()
                == Direction.IN && !s.isFin() && s.isAck() && s.ack() == ourFin.seqEnd());
        lab.check("the kernel's application closes right after its kernel has taken the FIN (LAST-ACK)",
                when == TraceState.LAST_ACK, "kernel in " + when);
        lab.check("the kernel's FIN acknowledges tuntcp's FIN (ack = FIN seq + 1)",
                ourFin != null && theirFin != null && theirFin.ack() == ourFin.seqEnd());
        lab.check("no separate ACK came before it: three segments close the connection", !separateAck,
                "this time the kernel acknowledged the FIN on its own before its FIN went out (timing-dependent;"
                        + " run it again)");
        if (ourFin == null || theirFin == null) {
            return;
        }
        if (separateAck) {
            lab.explain("tuntcp's FIN (seq " + Seen.abs(ourFin.seq()) + ") reached the kernel and its application"
                    + " closed right away, yet this time the kernel sent the ACK of the FIN (ack "
                    + Seen.abs(ourFin.seqEnd()) + ") on its own before its FIN: four segments, as in close-by-stack."
                    + " Whether Linux's delayed ACK of a FIN leaves before the application's close produces a FIN"
                    + " depends on timing (its delayed-ACK timeout is short, a few milliseconds on a fast path, and"
                    + " a busy machine delays everything else); the combined form is the common case on an idle one.");
            return;
        }
        lab.explain("tuntcp's FIN (seq " + Seen.abs(ourFin.seq()) + ") reached the kernel, which entered"
                + " CLOSE-WAIT. Linux does not acknowledge a FIN at once: it schedules a delayed ACK. Before that"
                + " timer fired, the kernel's application closed its socket — with nothing left to send. (The lab"
                + " closes the kernel's socket the moment its kernel has taken the FIN, as a quick application"
                + " would; a slow one lets the delayed ACK go alone, as in close-by-stack.)");
        lab.explain("So the kernel's FIN went out carrying the ACK it owed — ack " + Seen.abs(theirFin.ack())
                + " = our FIN seq + 1 — and the teardown took three segments: FIN, FIN/ACK, ACK. The ACK and FIN"
                + " go separately only when the closing side still has something to do (compare"
                + " tuntcp lab close-by-stack and half-close).");
    }

    /**
     * Closes the kernel's socket right after tuntcp's FIN was written to the TUN device, which the
     * kernel processes before the write returns; the state it was in is read afterwards.
     */
    private static void closeOnEndOfStream(LabSession lab, Opened c, CompletableFuture<TraceState> closedIn) {
        try {
            c.kernel().close();
            lab.kernel().sample();
            closedIn.complete(lab.kernel().latest());
        } catch (java.io.IOException e) {
            closedIn.completeExceptionally(e);
        }
    }
}
