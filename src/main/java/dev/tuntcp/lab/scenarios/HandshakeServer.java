package dev.tuntcp.lab.scenarios;

import static dev.tuntcp.lab.Seen.ACK;
import static dev.tuntcp.lab.Seen.SYN;
import static dev.tuntcp.lab.Seen.SYN_ACK;

import dev.tuntcp.lab.KernelSockets;
import dev.tuntcp.lab.LabSession;
import dev.tuntcp.lab.Scenario;
import dev.tuntcp.lab.Seen;
import dev.tuntcp.lab.StackEnd;
import dev.tuntcp.trace.ConnectionId;
import dev.tuntcp.trace.SegmentEvent;
import dev.tuntcp.trace.TraceState;

/** The three-way handshake with the kernel as client and the stack as server (RFC 9293 §3.5, Figure 6). */
public final class HandshakeServer implements Scenario {
    @Override
    public String name() {
        return "handshake-server";
    }

    @Override
    public String summary() {
        return "three-way handshake: the kernel connects, tuntcp listens (SYN, SYN/ACK, ACK)";
    }

    @Override
    public void run(LabSession lab) throws Exception {
        ConnectionId id = lab.connection(LabSession.STACK_SERVER_PORT, LabSession.KERNEL_CLIENT_PORT);
        StackEnd end = new StackEnd();
        lab.stackListens(end);
        lab.get(KernelSockets.connect(lab, LabSession.STACK_SERVER_PORT), "the kernel's connect()");
        lab.get(end.opened, "the stack to open the connection");
        lab.awaitKernel(TraceState.ESTABLISHED);
        Handshakes.checkAndExplain(lab, id, true);
    }

    /** What the handshake scenarios check and say, whichever side opens. */
    static final class Handshakes {
        private Handshakes() {
        }

        static void checkAndExplain(LabSession lab, ConnectionId id, boolean kernelOpens) {
            var events = lab.trace().snapshot();
            SegmentEvent syn = Seen.first(events, kernelOpens ? Seen.in(id, SYN) : Seen.out(id, SYN)).orElse(null);
            SegmentEvent synAck = Seen.first(events, kernelOpens ? Seen.out(id, SYN_ACK) : Seen.in(id, SYN_ACK)).orElse(null);
            SegmentEvent ack = Seen.first(events, kernelOpens ? Seen.in(id, ACK) : Seen.out(id, ACK)).orElse(null);
            String client = kernelOpens ? "the kernel" : "tuntcp";
            String server = kernelOpens ? "tuntcp" : "the kernel";
            lab.check(client + " sends a SYN", syn != null);
            lab.check(server + " answers SYN/ACK acknowledging the client's ISN + 1",
                    syn != null && synAck != null && synAck.ack() == syn.seq() + 1);
            lab.check(client + " acknowledges the server's ISN + 1 with the third segment",
                    synAck != null && ack != null && ack.ack() == synAck.seq() + 1);
            lab.check("the kernel is ESTABLISHED (read from its socket table)",
                    lab.kernel().states().contains(TraceState.ESTABLISHED), "seen: " + lab.kernel().states());
            if (syn == null || synAck == null || ack == null) {
                return;
            }
            lab.explain(client.substring(0, 1).toUpperCase() + client.substring(1) + " picked its initial sequence"
                    + " number x = " + Seen.abs(syn.seq()) + " and sent it in the SYN (relative 0; a SYN consumes one"
                    + " sequence number, so the first data byte will be 1).");
            lab.explain(server.substring(0, 1).toUpperCase() + server.substring(1) + " answered with its own"
                    + " SYN, y = " + Seen.abs(synAck.seq()) + ", and ack " + Seen.abs(synAck.ack()) + " = x + 1: each"
                    + " side's ISN has to be acknowledged by the other, so the server sends its SYN back"
                    + " together with the ACK of the client's.");
            lab.explain("The third segment, ack " + Seen.abs(ack.ack()) + " = y + 1, is the only proof the server"
                    + " gets that the client really received y — i.e. that this SYN was not an old duplicate."
                    + " Only then does the server (" + server + ") enter ESTABLISHED.");
        }
    }
}
