package dev.tuntcp.lab.scenarios;

import dev.tuntcp.lab.LabSession;
import dev.tuntcp.lab.Scenario;
import dev.tuntcp.lab.Seen;
import dev.tuntcp.lab.StackEnd;
import dev.tuntcp.trace.ConnectionId;
import dev.tuntcp.trace.Direction;
import dev.tuntcp.trace.SegmentEvent;
import dev.tuntcp.trace.TraceState;
import java.io.InputStream;

/**
 * The four-way teardown started by tuntcp. The kernel's application keeps its socket open a while
 * after reading the end of the stream, so the kernel acknowledges tuntcp's FIN on its own (its
 * delayed ACK) before it sends its FIN: FIN, ACK, FIN, ACK.
 */
public final class CloseByStack implements Scenario {
    @Override
    public String name() {
        return "close-by-stack";
    }

    @Override
    public String summary() {
        return "four-way teardown started by tuntcp: the kernel ACKs the FIN alone, closes later (tuntcp ends in TIME-WAIT)";
    }

    @Override
    public void run(LabSession lab) throws Exception {
        StackEnd end = new StackEnd();
        Opened c = Opened.byKernel(lab, end);
        ConnectionId id = c.id();
        var reader = lab.kernelThread("reader", () -> {
            InputStream in = c.kernel().getInputStream();
            int r = in.read();
            // The application is not done yet: it closes only once its kernel has acknowledged our FIN.
            SegmentEvent fin = (SegmentEvent) lab.await("tuntcp's FIN", Seen.out(id, Seen.FIN_ACK));
            lab.await("the kernel's ACK of the FIN", e -> e instanceof SegmentEvent s && s.direction() == Direction.IN
                    && s.connection().equals(id) && !s.isFin() && s.isAck() && s.ack() == fin.seqEnd());
            c.kernel().close();
            return r;
        });
        lab.later(() -> c.stack().close());
        int eof = lab.get(reader, "the kernel's application to read the end of the stream and close");
        lab.check("the kernel's application reads the end of the stream (read() = -1)", eof == -1);
        lab.await("tuntcp to reach TIME-WAIT", Seen.stackEnters(id, TraceState.TIME_WAIT));
        lab.awaitKernel(TraceState.CLOSED);
        CloseByKernel.Teardowns.checkFourWay(lab, id, true);
    }
}
