package dev.tuntcp.lab.scenarios;

import static dev.tuntcp.lab.Seen.ACK;
import static dev.tuntcp.lab.Seen.RST;
import static dev.tuntcp.lab.Seen.SYN;
import static dev.tuntcp.lab.Seen.SYN_ACK;

import dev.tuntcp.lab.KernelSockets;
import dev.tuntcp.lab.LabLink;
import dev.tuntcp.lab.LabSession;
import dev.tuntcp.lab.Scenario;
import dev.tuntcp.lab.Seen;
import dev.tuntcp.lab.StackEnd;
import dev.tuntcp.lab.StaleSegments;
import dev.tuntcp.trace.ConnectionId;
import dev.tuntcp.trace.Direction;
import dev.tuntcp.trace.SegmentEvent;
import dev.tuntcp.trace.TraceState;

/**
 * Why three steps (RFC 9293 §3.5, Figure 9): an old duplicate. The kernel opens; before tuntcp
 * answers, the link replays a SYN/ACK left over from an older incarnation — it acknowledges an ISN
 * the kernel did not send this time. The kernel, in SYN-SENT, refuses it with RST; the real handshake
 * then completes. With a two-step handshake the stale SYN/ACK would have opened the connection.
 */
public final class OldDuplicateSyn implements Scenario {
    /** How far back the "old" incarnation's ISN lies. */
    static final int OLD_DISTANCE = 1_000_000;

    @Override
    public String name() {
        return "old-duplicate-syn";
    }

    @Override
    public String summary() {
        return "why three steps: a stale SYN/ACK (answer to an old duplicate SYN) reaches the kernel; it answers RST";
    }

    @Override
    public void run(LabSession lab) throws Exception {
        ConnectionId id = lab.connection(LabSession.STACK_SERVER_PORT, LabSession.KERNEL_CLIENT_PORT);
        StackEnd end = new StackEnd();
        lab.stackListens(end);
        LabLink.Hold hold = lab.link().hold(Direction.IN, Seen.segment(Direction.IN, id, SYN),
                "the link holds the kernel's SYN back and replays a SYN/ACK of an older connection first");
        hold.onCaught(() -> {
            SegmentEvent syn = hold.segment();
            int oldIsn = syn.seq() - OLD_DISTANCE;
            int staleServerIsn = syn.seq() ^ 0x5a5a5a5a;
            lab.link().inject(StaleSegments.synAck(lab.host().tcp().stack().alloc(), id, staleServerIsn, oldIsn + 1,
                    1460), "old duplicate");
        });
        hold.releaseWhen(Direction.IN, Seen.segment(Direction.IN, id, RST));
        var connected = KernelSockets.connect(lab, LabSession.STACK_SERVER_PORT);
        lab.get(connected, "the kernel's connect()");
        lab.get(end.opened, "the stack to open the connection");
        lab.awaitKernel(TraceState.ESTABLISHED);

        var events = lab.trace().snapshot();
        SegmentEvent syn = hold.segment();
        SegmentEvent stale = Seen.first(events, Seen.out(id, SYN_ACK)).orElse(null);
        SegmentEvent rst = Seen.first(events, Seen.in(id, RST)).orElse(null);
        SegmentEvent real = Seen.segments(events, id).stream()
                .filter(s -> s.direction() == Direction.OUT && s.isSyn() && s.isAck() && s != stale).findFirst().orElse(null);
        SegmentEvent ack = Seen.first(events, Seen.in(id, ACK)).orElse(null);
        lab.check("the replayed SYN/ACK acknowledges an ISN the kernel did not send",
                syn != null && stale != null && stale.ack() != syn.seq() + 1);
        lab.check("the kernel answers it with RST, seq = the stale SYN/ACK's ack (RFC 9293 §3.10.7.3)",
                stale != null && rst != null && rst.seq() == stale.ack(),
                rst == null ? "no RST from the kernel" : "RST seq " + Seen.abs(rst.seq()));
        lab.check("the kernel stays in SYN-SENT meanwhile and completes the real handshake",
                real != null && ack != null && ack.ack() == real.seq() + 1
                        && lab.kernel().states().contains(TraceState.SYN_SENT)
                        && lab.kernel().states().contains(TraceState.ESTABLISHED),
                "kernel states " + lab.kernel().states());
        if (syn == null || stale == null || rst == null || real == null) {
            return;
        }
        lab.explain("The kernel's SYN carried ISN x = " + Seen.abs(syn.seq()) + ". The segment replayed first is a"
                + " SYN/ACK from an older incarnation of the same port pair: it acknowledges "
                + Seen.abs(stale.ack()) + " = an ISN from " + OLD_DISTANCE + " sequence numbers ago, + 1 — not x + 1.");
        lab.explain("In SYN-SENT the only acceptable ACK is ISS + 1 (RFC 9293 §3.10.7.3), so the kernel refuses"
                + " it with <SEQ=SEG.ACK><CTL=RST> (seq " + Seen.abs(rst.seq()) + ") and keeps waiting. The real"
                + " SYN/ACK (ack " + Seen.abs(real.ack()) + ") then completes the handshake.");
        lab.explain("That is why the handshake has three steps: with two, whoever receives an old duplicate SYN"
                + " or SYN/ACK would consider the connection open. The initiator's check of the acknowledged"
                + " ISN — and the RST it sends when it does not match — is what throws the old one away.");
    }
}
