package dev.tuntcp.lab.scenarios;

import dev.tuntcp.lab.LabSession;
import dev.tuntcp.lab.Scenario;
import dev.tuntcp.lab.Seen;
import dev.tuntcp.lab.StackEnd;
import dev.tuntcp.socket.ConnectionHandler.CloseReason;
import dev.tuntcp.trace.ConnectionId;
import dev.tuntcp.trace.SegmentEvent;
import dev.tuntcp.trace.TraceEvent;
import dev.tuntcp.trace.TraceState;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Abort (RFC 9293 §3.10.5): the kernel's application sets SO_LINGER to 0 and closes — the kernel
 * sends RST instead of FIN, discarding whatever was unsent; tuntcp drops the connection at once
 * ("connection reset"), no TIME-WAIT on either side.
 */
public final class RstAbort implements Scenario {
    @Override
    public String name() {
        return "rst-abort";
    }

    @Override
    public String summary() {
        return "the kernel aborts (SO_LINGER 0): RST instead of FIN, tuntcp reports \"connection reset\"";
    }

    @Override
    public void run(LabSession lab) throws Exception {
        StackEnd end = new StackEnd();
        Opened c = Opened.byKernel(lab, end);
        ConnectionId id = c.id();
        lab.inKernel(() -> {
            c.kernel().getOutputStream().write("partial request".getBytes(StandardCharsets.US_ASCII));
            return null;
        });
        SegmentEvent data = (SegmentEvent) lab.await("the kernel's data", Seen.data(id, dev.tuntcp.trace.Direction.IN));
        SegmentEvent ack = (SegmentEvent) lab.await("tuntcp's ACK of the data", e -> e instanceof SegmentEvent s
                && s.connection().equals(id) && s.direction() == dev.tuntcp.trace.Direction.OUT && s.ack() == data.seqEnd());
        lab.awaitHandedOver(ack);
        lab.inKernel(() -> {
            c.kernel().setSoLinger(true, 0);
            c.kernel().close();
            return null;
        });
        CloseReason reason = lab.get(end.closed, "tuntcp's connection to end");
        lab.awaitKernel(TraceState.CLOSED);

        List<TraceEvent> events = lab.trace().snapshot();
        SegmentEvent rst = Seen.segments(events, id).stream().filter(s -> s.isRst() && s.direction()
                == dev.tuntcp.trace.Direction.IN).findFirst().orElse(null);
        boolean anyFin = Seen.segments(events, id).stream().anyMatch(SegmentEvent::isFin);
        lab.check("the kernel sends RST, no FIN", rst != null && !anyFin);
        lab.check("tuntcp reports the connection reset and goes to CLOSED", reason == CloseReason.RESET
                && LabStates.stack(events, id).contains(TraceState.CLOSED), "reason " + reason);
        lab.check("the kernel keeps no socket (no TIME-WAIT)", !lab.kernel().states().contains(TraceState.TIME_WAIT)
                && lab.kernel().states().get(lab.kernel().states().size() - 1) == TraceState.CLOSED,
                "seen: " + lab.kernel().states());
        if (rst == null) {
            return;
        }
        lab.explain("With SO_LINGER set to 0, close() aborts: the kernel sent RST (seq " + Seen.abs(rst.seq())
                + ", exactly the next sequence number tuntcp expected, so it is acceptable — RFC 9293 §3.10.7.4"
                + " and RFC 5961 §3.2) and freed the socket at once: no FIN, no TIME-WAIT.");
        lab.explain("tuntcp, in ESTABLISHED, dropped the connection on the spot and told its application"
                + " \"connection reset\". Nothing is acknowledged and nothing retransmitted: an RST is never"
                + " answered, so a lost RST is repaired only by the next segment meeting no connection.");
    }
}
