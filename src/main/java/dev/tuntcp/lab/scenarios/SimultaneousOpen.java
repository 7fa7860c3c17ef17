package dev.tuntcp.lab.scenarios;

import dev.tuntcp.lab.KernelSockets;
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
 * Simultaneous open (RFC 9293 §3.5, Figure 8): both sides send a SYN before seeing the other's.
 * Made deterministic with the link: the kernel connects to tuntcp's port 50000 from port 40000; the
 * link holds the kernel's SYN, tuntcp then connects from 50000 to the kernel's 40000, and the held
 * SYN is let through once tuntcp's own SYN has left. Both go SYN-SENT → SYN-RECEIVED → ESTABLISHED,
 * and no side ever listens.
 */
public final class SimultaneousOpen implements Scenario {
    @Override
    public String name() {
        return "simultaneous-open";
    }

    @Override
    public String summary() {
        return "both sides send a SYN before seeing the other's: SYN-SENT → SYN-RECEIVED → ESTABLISHED on both";
    }

    @Override
    public void run(LabSession lab) throws Exception {
        int stackPort = LabSession.STACK_CLIENT_PORT;
        ConnectionId id = lab.connection(stackPort, LabSession.KERNEL_CLIENT_PORT);
        StackEnd end = new StackEnd();
        LabLink.Hold hold = lab.link().hold(Direction.IN, Seen.segment(Direction.IN, id, Seen.SYN),
                "the link holds the kernel's SYN until tuntcp's own SYN has left: the SYNs cross");
        hold.onCaught(() -> lab.host().tcp().tcp().connect(LabSession.stackAddress(), stackPort,
                LabSession.kernelAddress(), LabSession.KERNEL_CLIENT_PORT, end));
        hold.releaseWhen(Direction.OUT, Seen.segment(Direction.OUT, id, Seen.SYN));
        var kernel = KernelSockets.connect(lab, stackPort);
        lab.get(end.opened, "tuntcp's connection to open");
        lab.get(kernel, "the kernel's connect()");
        lab.awaitKernel(TraceState.ESTABLISHED);

        List<TraceEvent> events = lab.trace().snapshot();
        SegmentEvent ourSyn = Seen.first(events, Seen.out(id, Seen.SYN)).orElse(null);
        SegmentEvent theirSyn = Seen.first(events, Seen.in(id, Seen.SYN)).orElse(null);
        SegmentEvent theirSynAck = Seen.first(events, Seen.in(id, Seen.SYN_ACK)).orElse(null);
        SegmentEvent ourSynAck = Seen.first(events, Seen.out(id, Seen.SYN_ACK)).orElse(null);
        List<TraceState> stack = LabStates.stack(events, id);
        lab.check("both sides send a SYN without ACK", ourSyn != null && theirSyn != null);
        lab.check("tuntcp goes SYN-SENT → SYN-RECEIVED → ESTABLISHED",
                LabStates.inOrder(stack, TraceState.SYN_SENT, TraceState.SYN_RECEIVED, TraceState.ESTABLISHED),
                "states " + stack);
        lab.check("each side answers the other's SYN with a SYN/ACK acknowledging its ISN + 1",
                ourSyn != null && theirSyn != null && theirSynAck != null && ourSynAck != null
                        && theirSynAck.ack() == ourSyn.seq() + 1 && ourSynAck.ack() == theirSyn.seq() + 1);
        lab.check("the kernel ends ESTABLISHED", lab.kernel().states().contains(TraceState.ESTABLISHED),
                "seen: " + lab.kernel().states());
        if (ourSyn == null || theirSyn == null || theirSynAck == null || ourSynAck == null) {
            return;
        }
        lab.explain("Both sides called connect(): the kernel from port " + LabSession.KERNEL_CLIENT_PORT + " with ISN "
                + Seen.abs(theirSyn.seq()) + ", tuntcp from port " + stackPort + " with ISN " + Seen.abs(ourSyn.seq())
                + ". Neither listens. Each SYN reached a side in SYN-SENT, which (RFC 9293 §3.10.7.3) enters"
                + " SYN-RECEIVED and sends a SYN/ACK: its own SYN again, with the ACK of the other's ISN + 1.");
        lab.explain("Each SYN/ACK then acknowledged the SYN its receiver had sent, and both became ESTABLISHED:"
                + " one connection, not two — its four-tuple is the same from both ends. It takes four segments"
                + " instead of three, and shows that TCP's open is symmetric: each side must send its ISN and"
                + " see it acknowledged.");
        if (!lab.kernel().states().contains(TraceState.SYN_RECEIVED)) {
            lab.explain("(The kernel's SYN-RECEIVED lasted less than one sample of its socket table, so the ladder"
                    + " shows it inferred from its SYN/ACK, marked *.)");
        }
    }
}
