package dev.tuntcp.lab.scenarios;

import static dev.tuntcp.lab.Seen.SYN_ACK;

import dev.tuntcp.lab.KernelSockets;
import dev.tuntcp.lab.LabSession;
import dev.tuntcp.lab.Scenario;
import dev.tuntcp.lab.Seen;
import dev.tuntcp.lab.StackEnd;
import dev.tuntcp.trace.ConnectionId;
import dev.tuntcp.trace.Direction;
import dev.tuntcp.trace.Drop;
import dev.tuntcp.trace.SegmentEvent;
import dev.tuntcp.trace.TraceEvent;
import dev.tuntcp.trace.TraceState;
import java.util.List;

/**
 * The handshake's final ACK is lost: the kernel is ESTABLISHED, tuntcp is still in SYN-RECEIVED, so
 * it retransmits its SYN/ACK when the retransmission timer expires; the kernel answers with the ACK
 * again and the stack opens.
 */
public final class LostHandshakeAck implements Scenario {
    @Override
    public String name() {
        return "lost-handshake-ack";
    }

    @Override
    public String summary() {
        return "the handshake's final ACK is lost: tuntcp retransmits its SYN/ACK, the kernel ACKs again";
    }

    @Override
    public void run(LabSession lab) throws Exception {
        ConnectionId id = lab.connection(LabSession.STACK_SERVER_PORT, LabSession.KERNEL_CLIENT_PORT);
        StackEnd end = new StackEnd();
        lab.stackListens(end);
        lab.link().dropNth(Direction.IN, 1, s -> s.connection().equals(id) && s.isAck() && !s.isSyn()
                && !s.isFin() && !s.isRst() && s.payloadLength() == 0);
        lab.get(KernelSockets.connect(lab, LabSession.STACK_SERVER_PORT), "the kernel's connect()");
        lab.awaitKernel(TraceState.ESTABLISHED);
        lab.get(end.opened, "the stack to open the connection after retransmitting its SYN/ACK");

        List<TraceEvent> events = lab.trace().snapshot();
        List<SegmentEvent> synAcks = Seen.segments(events, id).stream()
                .filter(s -> Seen.out(id, SYN_ACK).test(s)).toList();
        Drop lost = (Drop) events.stream().filter(Seen.lost(id)).findFirst().orElse(null);
        SegmentEvent ackAfter = Seen.segments(events, id).stream()
                .filter(s -> s.direction() == Direction.IN && s.isAck() && !s.isSyn()
                        && synAcks.size() > 1 && s.nanos() > synAcks.get(1).nanos()).findFirst().orElse(null);
        lab.check("the kernel's final ACK is lost on the link", lost != null);
        lab.check("the kernel is ESTABLISHED while tuntcp still waits in SYN-RECEIVED",
                lab.kernel().states().contains(TraceState.ESTABLISHED));
        lab.check("tuntcp retransmits the same SYN/ACK", synAcks.size() >= 2
                && synAcks.get(0).seq() == synAcks.get(1).seq() && synAcks.get(0).ack() == synAcks.get(1).ack(),
                synAcks.size() + " SYN/ACKs");
        lab.check("the kernel acknowledges the retransmission and tuntcp becomes ESTABLISHED", ackAfter != null
                && end.opened.isDone());
        if (lost == null || synAcks.size() < 2 || ackAfter == null) {
            return;
        }
        long waited = (synAcks.get(1).nanos() - synAcks.get(0).nanos()) / 1_000_000;
        lab.explain("The kernel's ACK (ack " + Seen.abs(lost.segment().ack()) + " = y + 1) was lost. The kernel"
                + " does not know: for it the handshake is complete (ESTABLISHED). tuntcp never received the"
                + " proof that the kernel got its ISN y, so it stays in SYN-RECEIVED.");
        lab.explain("After " + waited + " ms its retransmission timer fired (the lab shortens the first RTO to"
                + " 300 ms; RFC 6298 says 1 s) and it sent the same SYN/ACK again. The kernel, already"
                + " ESTABLISHED, answered the duplicate with an ACK of the current state — ack "
                + Seen.abs(ackAfter.ack()) + " — which completed the handshake. Had the kernel sent data first,"
                + " that data segment would have carried the same ACK.");
    }
}
