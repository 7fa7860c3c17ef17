package dev.tuntcp.lab.scenarios;

import dev.tuntcp.lab.KernelSockets;
import dev.tuntcp.lab.LabSession;
import dev.tuntcp.lab.Scenario;
import dev.tuntcp.lab.StackEnd;
import dev.tuntcp.trace.ConnectionId;
import dev.tuntcp.trace.TraceState;
import java.net.ServerSocket;

/** The three-way handshake with the stack as client and the kernel as server (RFC 9293 §3.5, Figure 6). */
public final class HandshakeClient implements Scenario {
    @Override
    public String name() {
        return "handshake-client";
    }

    @Override
    public String summary() {
        return "three-way handshake: tuntcp connects, the kernel listens";
    }

    @Override
    public void run(LabSession lab) throws Exception {
        ConnectionId id = lab.connection(LabSession.STACK_CLIENT_PORT, LabSession.KERNEL_SERVER_PORT);
        ServerSocket server = KernelSockets.listen(lab);
        lab.awaitKernel(TraceState.LISTEN);
        var accepted = KernelSockets.accept(lab, server);
        StackEnd end = new StackEnd();
        lab.stackConnects(LabSession.STACK_CLIENT_PORT, LabSession.KERNEL_SERVER_PORT, end);
        lab.get(end.opened, "the stack's connection to open");
        lab.get(accepted, "the kernel's accept()");
        lab.awaitKernel(TraceState.ESTABLISHED);
        HandshakeServer.Handshakes.checkAndExplain(lab, id, false);
    }
}
