package dev.tuntcp.lab.scenarios;

import static dev.tuntcp.lab.Seen.RST_ACK;
import static dev.tuntcp.lab.Seen.SYN;

import dev.tuntcp.lab.LabSession;
import dev.tuntcp.lab.Scenario;
import dev.tuntcp.lab.Seen;
import dev.tuntcp.lab.StackEnd;
import dev.tuntcp.socket.ConnectionHandler.CloseReason;
import dev.tuntcp.trace.ConnectionId;
import dev.tuntcp.trace.SegmentEvent;
import dev.tuntcp.trace.TraceState;

/** A SYN to a port where nothing listens is answered with RST/ACK (RFC 9293 §3.10.7.1). */
public final class ClosedPort implements Scenario {
    @Override
    public String name() {
        return "closed-port";
    }

    @Override
    public String summary() {
        return "tuntcp sends a SYN to a kernel port where nothing listens: RST/ACK, connection refused";
    }

    @Override
    public void run(LabSession lab) throws Exception {
        ConnectionId id = lab.connection(LabSession.STACK_CLIENT_PORT, LabSession.KERNEL_SERVER_PORT);
        StackEnd end = new StackEnd();
        lab.stackConnects(LabSession.STACK_CLIENT_PORT, LabSession.KERNEL_SERVER_PORT, end);
        CloseReason reason = lab.get(end.closed, "the stack's connection to end");
        var events = lab.trace().snapshot();
        SegmentEvent syn = Seen.first(events, Seen.out(id, SYN)).orElse(null);
        SegmentEvent rst = Seen.first(events, Seen.in(id, RST_ACK)).orElse(null);
        lab.check("tuntcp sends a SYN", syn != null);
        lab.check("the kernel answers RST/ACK with ack = SYN seq + 1 and seq 0",
                syn != null && rst != null && rst.ack() == syn.seq() + 1 && rst.seq() == 0,
                rst == null ? "no RST/ACK" : "RST seq " + Seen.abs(rst.seq()) + " ack " + Seen.abs(rst.ack()));
        lab.check("the stack reports the connection refused", reason == CloseReason.REFUSED, "reason " + reason);
        lab.check("the kernel has no socket for it (CLOSED)",
                !lab.kernel().states().isEmpty() && lab.kernel().states().stream().allMatch(s -> s == TraceState.CLOSED),
                "seen: " + lab.kernel().states());
        if (syn != null && rst != null) {
            lab.explain("Nothing listens on port " + LabSession.KERNEL_SERVER_PORT + " in the namespace, so the"
                    + " kernel's TCP treats the SYN as arriving in CLOSED (RFC 9293 §3.10.7.1): it answers with"
                    + " <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> — ack " + Seen.abs(rst.ack()) + " = our ISN + 1,"
                    + " because our SYN had no ACK field to copy a sequence number from.");
            lab.explain("The RST acknowledges our SYN exactly, so in SYN-SENT we accept it (§3.10.7.3), go to"
                    + " CLOSED and report \"connection refused\" — what ECONNREFUSED means for a kernel socket.");
        }
    }
}
