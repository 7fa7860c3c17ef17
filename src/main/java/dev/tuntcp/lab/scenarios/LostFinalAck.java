package dev.tuntcp.lab.scenarios;

import dev.tuntcp.lab.LabSession;
import dev.tuntcp.lab.Scenario;
import dev.tuntcp.lab.Seen;
import dev.tuntcp.lab.StackEnd;
import dev.tuntcp.trace.ConnectionId;
import dev.tuntcp.trace.Direction;
import dev.tuntcp.trace.SegmentEvent;
import dev.tuntcp.trace.TimerFired;
import dev.tuntcp.trace.TraceEvent;
import dev.tuntcp.trace.TraceState;
import java.time.Duration;
import java.util.List;

/**
 * Why TIME-WAIT (RFC 9293 §3.6.1): tuntcp closes first; its last ACK — of the kernel's FIN — is lost
 * on the link. The kernel, in LAST-ACK, retransmits its FIN; tuntcp, still in TIME-WAIT, acknowledges
 * it again, and the kernel closes. Then TIME-WAIT's 2 × MSL timer expires (MSL shortened to 1 s).
 */
public final class LostFinalAck implements Scenario {
    @Override
    public String name() {
        return "lost-final-ack";
    }

    @Override
    public String summary() {
        return "the teardown's last ACK is lost: the kernel retransmits its FIN, TIME-WAIT answers it";
    }

    @Override
    public void run(LabSession lab) throws Exception {
        StackEnd end = new StackEnd();
        Opened c = Opened.byKernel(lab, end);
        ConnectionId id = c.id();
        // The first bare ACK tuntcp sends after the kernel's FIN has arrived: the teardown's last ACK.
        lab.link().dropNth(Direction.OUT, 1, s -> s.connection().equals(id) && s.isAck() && !s.isFin()
                && !s.isSyn() && !s.isRst() && s.payloadLength() == 0
                && lab.trace().snapshot().stream().anyMatch(Seen.in(id, Seen.FIN_ACK)));
        var reader = lab.kernelThread("reader", () -> {
            int r = c.kernel().getInputStream().read();
            c.kernel().close();
            return r;
        });
        lab.later(() -> c.stack().close());
        lab.get(reader, "the kernel's application to read the end of the stream and close");
        lab.await("the kernel's retransmitted FIN", e -> Seen.count(lab.trace().snapshot(), Seen.in(id, Seen.FIN_ACK)) >= 2);
        lab.awaitKernel(TraceState.CLOSED);
        lab.await("TIME-WAIT to expire", Seen.stackEnters(id, TraceState.CLOSED), Duration.ofSeconds(8));

        List<TraceEvent> events = lab.trace().snapshot();
        List<SegmentEvent> fins = Seen.segments(events, id).stream().filter(Seen.in(id, Seen.FIN_ACK)::test).toList();
        boolean lost = events.stream().anyMatch(Seen.lost(id));
        SegmentEvent reAck = fins.size() < 2 ? null : Seen.segments(events, id).stream()
                .filter(s -> s.direction() == Direction.OUT && s.isAck() && !s.isFin() && s.nanos() > fins.get(1).nanos()
                        && s.ack() == fins.get(1).seqEnd() && s.stateBefore() == TraceState.TIME_WAIT)
                .findFirst().orElse(null);
        boolean expired = events.stream().anyMatch(e -> e instanceof TimerFired t && t.connection().equals(id)
                && t.is(TimerFired.TIME_WAIT));
        lab.check("tuntcp's last ACK is lost on the link", lost);
        lab.check("the kernel, in LAST-ACK, retransmits the same FIN", fins.size() >= 2
                && fins.get(0).seq() == fins.get(1).seq() && lab.kernel().states().contains(TraceState.LAST_ACK),
                fins.size() + " FINs; kernel states " + lab.kernel().states());
        lab.check("TIME-WAIT acknowledges the retransmitted FIN", reAck != null);
        lab.check("the kernel then closes (CLOSED)", lab.kernel().states().contains(TraceState.CLOSED));
        lab.check("TIME-WAIT ends after 2 × MSL", expired);
        if (fins.size() < 2 || reAck == null) {
            return;
        }
        long rto = (fins.get(1).nanos() - fins.get(0).nanos()) / 1_000_000;
        lab.explain("tuntcp closed first, so after the kernel's FIN it entered TIME-WAIT and sent the last ACK"
                + " (ack " + Seen.abs(fins.get(0).seqEnd()) + " = FIN seq + 1) — which the link lost. The kernel,"
                + " in LAST-ACK, cannot tell a lost FIN from a lost ACK: after " + rto + " ms (its retransmission"
                + " timeout) it sent the same FIN again.");
        lab.explain("tuntcp was still in TIME-WAIT, still holding the connection's numbers, so it recognised"
                + " the duplicate FIN and acknowledged it again (RFC 9293 §3.10.7.4: \"acknowledge it, and"
                + " restart the 2 MSL timeout\"); the kernel closed. Had tuntcp gone straight to CLOSED, that FIN"
                + " would have met no connection and been answered with RST — the kernel would report an error"
                + " for a connection that closed fine. That, and letting old segments die out, is what TIME-WAIT"
                + " is for. The lab's MSL is 1 s, so TIME-WAIT lasts 2 s here (Linux: 60 s).");
    }
}
