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
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A FIN occupies one sequence number (RFC 9293 §3.4): the kernel sends "hello" (bytes 1-5) and then
 * its FIN, which is number 6; tuntcp's ACK of it says 7.
 */
public final class FinConsumesSeq implements Scenario {
    static final String HELLO = "hello";

    @Override
    public String name() {
        return "fin-consumes-seq";
    }

    @Override
    public String summary() {
        return "a FIN consumes a sequence number: after \"hello\" (1-5) the FIN is 6 and its ACK says 7";
    }

    @Override
    public void run(LabSession lab) throws Exception {
        StackEnd end = new StackEnd().whenInputShutdown(ch -> ch.close());
        Opened c = Opened.byKernel(lab, end);
        ConnectionId id = c.id();
        lab.inKernel(() -> {
            c.kernel().getOutputStream().write(HELLO.getBytes(StandardCharsets.US_ASCII));
            c.kernel().close();
            return null;
        });
        lab.await("tuntcp to reach CLOSED", Seen.stackEnters(id, TraceState.CLOSED));

        List<TraceEvent> events = lab.trace().snapshot();
        SegmentEvent syn = Seen.first(events, Seen.in(id, Seen.SYN)).orElse(null);
        SegmentEvent fin = Seen.segments(events, id).stream().filter(s -> s.direction() == Direction.IN && s.isFin())
                .findFirst().orElse(null);
        int finSeq = fin == null ? 0 : fin.seq() + fin.payloadLength();
        SegmentEvent ack = Seen.segments(events, id).stream().filter(s -> fin != null && s.direction() == Direction.OUT
                && s.isAck() && s.ack() == finSeq + 1).findFirst().orElse(null);
        lab.check("tuntcp received \"hello\"", HELLO.equals(end.received()), "received '" + end.received() + "'");
        lab.check("the kernel's FIN is numbered right after the data (relative 6)",
                syn != null && fin != null && Seen.rel(finSeq, syn.seq()) == 1 + HELLO.length());
        lab.check("tuntcp acknowledges it with ack = FIN seq + 1 (relative 7)", ack != null);
        if (syn == null || fin == null || ack == null) {
            return;
        }
        lab.explain("The kernel's SYN took sequence number x = " + Seen.abs(syn.seq()) + " (relative 0), so the"
                + " five bytes of \"hello\" are 1 to 5 and its FIN is number 6 (absolute " + Seen.abs(finSeq) + ").");
        lab.explain("tuntcp acknowledged the FIN with ack " + Seen.abs(ack.ack()) + " — relative 7, not 6: the FIN"
                + " occupies a sequence number of its own, like a byte of data, so that it can be acknowledged and"
                + " retransmitted like one. The ACK says \"I have everything up to and including your FIN\".");
    }
}
