package dev.tuntcp.socket;

import dev.tuntcp.stack.EventLoop;
import dev.tuntcp.tcp.Listener;
import dev.tuntcp.tcp.TcpLayer;
import java.net.BindException;

/**
 * The {@link SocketStack} of a bare {@link TcpLayer} (no IP) running on an {@link EventLoop}, for one
 * local address: TCP's OPEN calls (RFC 9293 §3.10.1) as the sockets need them. The production stack
 * has its own (TcpTransport); this one lets {@link RealTcpPair} test the sockets and services on the
 * real state machine without IP.
 */
public final class TcpLayerSocketStack implements SocketStack {
    /** Where {@link #listen} looks for a free port when asked for port 0 (RFC 6335 dynamic range). */
    private static final int FIRST_DYNAMIC_PORT = 49152;

    private final EventLoop loop;
    private final TcpLayer tcp;
    private final int localAddress;

    public TcpLayerSocketStack(EventLoop loop, TcpLayer tcp, int localAddress) {
        this.loop = loop;
        this.tcp = tcp;
        this.localAddress = localAddress;
    }

    @Override
    public void execute(Runnable task) {
        loop.execute(task);
    }

    @Override
    public boolean inEventLoop() {
        return loop.inLoop();
    }

    @Override
    public Listening listen(int port, ConnectionHandlerFactory factory) throws BindException {
        int chosen = port != 0 ? port : freePort();
        if (chosen < 0 || tcp.listener(chosen) != null) {
            throw new BindException("Address already in use: port " + port);
        }
        Listener listener = tcp.listen(localAddress, chosen, factory);
        return new Listening() {
            @Override
            public int port() {
                return listener.localPort();
            }

            @Override
            public void close() {
                listener.close();
            }
        };
    }

    private int freePort() {
        for (int p = FIRST_DYNAMIC_PORT; p <= 65535; p++) {
            if (tcp.listener(p) == null) {
                return p;
            }
        }
        return -1;
    }

    /**
     * @throws IllegalStateException when TCP cannot start the open (no free ephemeral port, or the
     *     4-tuple exists); {@link TcpSocket#connect} reports it as a failed connect
     */
    @Override
    public void connect(int remoteAddress, int remotePort, ConnectionHandler handler) {
        tcp.connect(localAddress, remoteAddress, remotePort, handler);
    }
}
