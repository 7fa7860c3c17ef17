package dev.tuntcp.lab.scenarios;

import dev.tuntcp.lab.KernelSockets;
import dev.tuntcp.lab.LabSession;
import dev.tuntcp.lab.StackEnd;
import dev.tuntcp.socket.TcpChannel;
import dev.tuntcp.trace.ConnectionId;
import dev.tuntcp.trace.TraceState;
import java.net.Socket;

/**
 * An open connection for the teardown scenarios: the kernel connects (from
 * {@link LabSession#KERNEL_CLIENT_PORT}) to tuntcp listening on {@link LabSession#STACK_SERVER_PORT}.
 *
 * @param id the connection, seen from the stack
 * @param kernel the kernel's socket
 * @param stack the stack's channel (use on the event loop only)
 */
record Opened(ConnectionId id, Socket kernel, TcpChannel stack) {
    static Opened byKernel(LabSession lab, StackEnd end) throws Exception {
        ConnectionId id = lab.connection(LabSession.STACK_SERVER_PORT, LabSession.KERNEL_CLIENT_PORT);
        lab.stackListens(end);
        Socket s = lab.get(KernelSockets.connect(lab, LabSession.STACK_SERVER_PORT), "the kernel's connect()");
        TcpChannel channel = lab.get(end.opened, "the stack to open the connection");
        lab.awaitKernel(TraceState.ESTABLISHED);
        return new Opened(id, s, channel);
    }
}
