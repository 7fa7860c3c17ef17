package dev.tuntcp.lab;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.Future;

/**
 * The kernel's side of a scenario: plain Java sockets, created on threads inside the lab's namespace
 * so they belong to the kernel there (see {@link dev.tuntcp.link.Netns}). Each socket is closed with
 * the session.
 */
public final class KernelSockets {
    private KernelSockets() {
    }

    /** The kernel connects from {@link LabSession#KERNEL_CLIENT_PORT} to the stack's {@code stackPort}; returns at once. */
    public static Future<Socket> connect(LabSession lab, int stackPort) {
        return lab.kernelThread("connect", () -> {
            Socket s = lab.closeLater(new Socket());
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(LabSession.KERNEL_ADDRESS, LabSession.KERNEL_CLIENT_PORT));
            s.connect(new InetSocketAddress(LabSession.STACK_ADDRESS, stackPort), (int) LabSession.STEP.toMillis());
            s.setSoTimeout((int) LabSession.STEP.toMillis());
            return s;
        });
    }

    /** A listening socket on {@link LabSession#KERNEL_SERVER_PORT}. */
    public static ServerSocket listen(LabSession lab) throws Exception {
        return lab.inKernel(() -> {
            ServerSocket server = lab.closeLater(new ServerSocket());
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(LabSession.KERNEL_ADDRESS, LabSession.KERNEL_SERVER_PORT));
            server.setSoTimeout((int) LabSession.STEP.toMillis());
            return server;
        });
    }

    /** Accepts one connection on {@code server}; returns at once. */
    public static Future<Socket> accept(LabSession lab, ServerSocket server) {
        return lab.kernelThread("accept", () -> {
            Socket s = lab.closeLater(server.accept());
            s.setSoTimeout((int) LabSession.STEP.toMillis());
            return s;
        });
    }
}
