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
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Half-close (RFC 9293 §3.6): the kernel sends a request and shuts down its sending side (FIN);
 * tuntcp acknowledges the FIN and keeps sending its answer — 3000 bytes in three segments — on the
 * direction that is still open, then closes it with its own FIN.
 */
public final class HalfClose implements Scenario {
    static final int ANSWER_BYTES = 3000;

    @Override
    public String name() {
        return "half-close";
    }

    @Override
    public String summary() {
        return "half-close: the kernel sends FIN after its request, tuntcp still sends 3000 bytes, then its FIN";
    }

    @Override
    public void run(LabSession lab) throws Exception {
        StackEnd end = new StackEnd().whenInputShutdown(ch -> {
            StackEnd.write(ch, "x".repeat(ANSWER_BYTES));
            ch.shutdownOutput();
        });
        Opened c = Opened.byKernel(lab, end);
        ConnectionId id = c.id();
        byte[] answer = lab.inKernel(() -> {
            c.kernel().getOutputStream().write("request\n".getBytes(StandardCharsets.US_ASCII));
            c.kernel().shutdownOutput();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            c.kernel().getInputStream().transferTo(got);
            return got.toByteArray();
        });
        lab.await("tuntcp to reach CLOSED", Seen.stackEnters(id, TraceState.CLOSED));
        lab.awaitKernel(TraceState.TIME_WAIT);

        List<TraceEvent> events = lab.trace().snapshot();
        SegmentEvent kernelFin = Seen.first(events, Seen.in(id, Seen.FIN_ACK)).orElse(null);
        List<SegmentEvent> dataAfter = Seen.segments(events, id).stream().filter(s -> kernelFin != null
                && s.direction() == Direction.OUT && s.payloadLength() > 0 && s.nanos() > kernelFin.nanos()).toList();
        SegmentEvent ourFin = Seen.first(events, Seen.out(id, Seen.FIN_ACK)).orElse(null);
        lab.check("the kernel half-closes after its request (FIN)", kernelFin != null);
        lab.check("tuntcp sends data after the kernel's FIN", !dataAfter.isEmpty(), "no data segment after the FIN");
        lab.check("the kernel's application reads all " + ANSWER_BYTES + " bytes after its FIN",
                answer.length == ANSWER_BYTES, answer.length + " bytes");
        lab.check("the kernel sits in FIN-WAIT-2 while it receives",
                lab.kernel().states().contains(TraceState.FIN_WAIT_2), "seen: " + lab.kernel().states());
        lab.check("tuntcp's FIN follows its data", ourFin != null && !dataAfter.isEmpty()
                && ourFin.seq() == dataAfter.get(dataAfter.size() - 1).seqEnd());
        if (kernelFin == null || dataAfter.isEmpty() || ourFin == null) {
            return;
        }
        lab.explain("The kernel's application wrote its request and called shutdown(SHUT_WR): its FIN (seq "
                + Seen.abs(kernelFin.seq()) + ") closes only the kernel → tuntcp direction. tuntcp acknowledged"
                + " it at once and went to CLOSE-WAIT; the kernel went to FIN-WAIT-2 — closed for sending, still"
                + " open for receiving.");
        lab.explain("tuntcp then sent " + ANSWER_BYTES + " bytes in " + dataAfter.size() + " segments after the"
                + " FIN, and the kernel acknowledged and delivered them (its application read " + answer.length
                + " bytes). Only then did tuntcp send its own FIN. This is why the teardown has four steps and"
                + " not three: the side that receives the first FIN may still have a lot to say.");
    }
}
