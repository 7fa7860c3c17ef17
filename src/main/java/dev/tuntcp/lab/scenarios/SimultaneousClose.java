package dev.tuntcp.lab.scenarios;

import dev.tuntcp.lab.LabLink;
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

/**
 * Simultaneous close (RFC 9293 §3.6, Figure 13): both sides send a FIN before seeing the other's and
 * both pass CLOSING. Made deterministic with the link: it holds the kernel's FIN, tuntcp closes, the
 * held FIN goes on once tuntcp's FIN has left; and tuntcp's ACK of the kernel's FIN waits until the
 * kernel has been seen in CLOSING.
 */
public final class SimultaneousClose implements Scenario {
    @Override
    public String name() {
        return "simultaneous-close";
    }

    @Override
    public String summary() {
        return "both sides send a FIN before seeing the other's: FIN-WAIT-1 → CLOSING → TIME-WAIT on both";
    }

    @Override
    public void run(LabSession lab) throws Exception {
        StackEnd end = new StackEnd();
        Opened c = Opened.byKernel(lab, end);
        ConnectionId id = c.id();
        LabLink.Hold theirFin = lab.link().hold(Direction.IN, Seen.segment(Direction.IN, id, Seen.FIN_ACK),
                "the link holds the kernel's FIN until tuntcp's own FIN has left: the FINs cross");
        theirFin.onCaught(() -> c.stack().shutdownOutput());
        theirFin.releaseWhen(Direction.OUT, Seen.segment(Direction.OUT, id, Seen.FIN_ACK));
        LabLink.Hold ourAck = lab.link().hold(Direction.OUT, s -> theirFin.segment() != null
                        && Seen.segment(Direction.OUT, id, Seen.ACK).test(s) && s.payloadLength() == 0
                        && s.ack() == theirFin.segment().seqEnd(),
                "the link holds tuntcp's ACK of the kernel's FIN until the kernel is seen in CLOSING");
        lab.inKernel(() -> {
            c.kernel().close();
            return null;
        });
        lab.await("tuntcp to enter CLOSING", Seen.stackEnters(id, TraceState.CLOSING));
        if (!ourAck.awaitCaught(LabSession.STEP)) {
            throw new dev.tuntcp.lab.LabFailure("tuntcp's ACK of the kernel's FIN never came");
        }
        boolean kernelClosing = lab.kernel().awaitSeen(TraceState.CLOSING, LabSession.STEP);
        ourAck.release();
        lab.await("tuntcp to reach TIME-WAIT", Seen.stackEnters(id, TraceState.TIME_WAIT));
        lab.awaitKernel(TraceState.TIME_WAIT);

        List<TraceEvent> events = lab.trace().snapshot();
        SegmentEvent ours = Seen.first(events, Seen.out(id, Seen.FIN_ACK)).orElse(null);
        SegmentEvent theirs = theirFin.segment();
        List<TraceState> stack = LabStates.stack(events, id);
        lab.check("the FINs cross: neither acknowledges the other", ours != null && theirs != null
                && ours.ack() == theirs.seq() && theirs.ack() == ours.seq());
        lab.check("tuntcp goes FIN-WAIT-1 → CLOSING → TIME-WAIT", LabStates.inOrder(stack, TraceState.FIN_WAIT_1,
                TraceState.CLOSING, TraceState.TIME_WAIT), "states " + stack);
        lab.check("the kernel passes CLOSING and ends in TIME-WAIT", kernelClosing
                && lab.kernel().states().contains(TraceState.TIME_WAIT), "seen: " + lab.kernel().states());
        if (ours == null || theirs == null) {
            return;
        }
        lab.explain("Both applications closed at the same moment: the kernel's FIN (seq " + Seen.abs(theirs.seq())
                + ", ack " + Seen.abs(theirs.ack()) + ") and tuntcp's (seq " + Seen.abs(ours.seq()) + ", ack "
                + Seen.abs(ours.ack()) + ") crossed — each acknowledges only what came before the other's FIN.");
        lab.explain("So each side received a FIN while in FIN-WAIT-1 with its own FIN not yet acknowledged:"
                + " that is CLOSING (RFC 9293 §3.10.7.4, eighth step). Each acknowledged the other's FIN (= FIN"
                + " seq + 1); when that ACK arrived, each went to TIME-WAIT. Both sides closed actively, so both"
                + " wait 2 × MSL.");
    }
}
