package dev.tuntcp.tcp;

import dev.tuntcp.ip.TransportReceiver;
import dev.tuntcp.socket.ConnectionHandler;
import dev.tuntcp.socket.ConnectionHandlerFactory;
import dev.tuntcp.socket.SocketStack;
import dev.tuntcp.stack.EventLoop;
import dev.tuntcp.stack.Stack;
import dev.tuntcp.wire.Ipv4Header;
import io.netty.buffer.ByteBuf;
import java.net.BindException;

/**
 * TCP attached to a {@link Stack}: registered with its {@code Ipv4Input} for protocol 6, sending
 * through its {@code Ipv4Output}, on its event loop, and offering the {@link SocketStack} the socket
 * API and the services are written against. {@link #attach} does all of the wiring:
 *
 * <pre>{@code
 * TcpTransport tcp = TcpTransport.attach(stack, new TcpConfig());
 * tcp.layer().listen(0, 80, factory);              // or tcp.listen(80, factory) for the SocketStack form
 * tcp.layer().setTraceListener(new TcpTraceBridge(sink, stack.clock()));   // --trace
 * }</pre>
 *
 * <p>On the loop's graceful stop it stops listening, closes every connection (FIN after the queued
 * data), waits for them to finish (TIME-WAIT does not hold the stop up) and resets what is left when
 * the drain time runs out.
 */
public final class TcpTransport implements TransportReceiver, SocketStack, EventLoop.StopHook {
    private final Stack stack;
    private final TcpLayer layer;
    private final TcpInput input;

    private TcpTransport(Stack stack, TcpLayer layer) {
        this.stack = stack;
        this.layer = layer;
        this.input = new TcpInput(layer);
    }

    /**
     * Creates TCP for {@code stack} and wires it in. The MSS is capped to what the link carries
     * (MTU - 40, RFC 9293 §3.7.1). Call on the loop thread, or before the loop starts.
     */
    public static TcpTransport attach(Stack stack, TcpConfig config) {
        int linkMss = stack.ipv4Output().mtu() - 40;
        if (config.mss() > linkMss) {
            config.mss(linkMss);
        }
        TcpLayer layer = new TcpLayer(config, stack.timers(), stack.counters(),
                new WireTcpOutput(stack.alloc(), stack.ipv4Output()::send));
        TcpTransport transport = new TcpTransport(stack, layer);
        stack.ipv4Input().register(Ipv4Header.PROTOCOL_TCP, transport);
        stack.loop().addStopHook(transport);
        return transport;
    }

    /** The TCP layer: listeners, connections, counters, the trace listener. */
    public TcpLayer layer() {
        return layer;
    }

    // --- TransportReceiver -------------------------------------------------------------------------

    /** Takes ownership of {@code packet}: TCP copies what it keeps and releases it here. */
    @Override
    public void onSegment(Ipv4Header ip, ByteBuf packet) {
        try {
            input.receive(ip.sourceAddress(), ip.destinationAddress(), packet, ip.payloadOffset(), ip.payloadLength());
        } finally {
            packet.release();
        }
    }

    // --- SocketStack -----------------------------------------------------------------------------

    @Override
    public void execute(Runnable task) {
        stack.loop().execute(task);
    }

    @Override
    public boolean inEventLoop() {
        return stack.loop().inLoop();
    }

    @Override
    public Listening listen(int port, ConnectionHandlerFactory factory) throws BindException {
        if (port != 0 && layer.listener(port) != null) {
            throw new BindException("port " + port + " is already listened on");
        }
        Listener l = layer.listen(stack.config().address(), port, factory);
        return new Listening() {
            @Override
            public int port() {
                return l.localPort();
            }

            @Override
            public void close() {
                l.close();
            }
        };
    }

    @Override
    public void connect(int remoteAddress, int remotePort, ConnectionHandler handler) {
        layer.connect(stack.config().address(), remoteAddress, remotePort, handler);
    }

    // --- graceful stop ---------------------------------------------------------------------------

    @Override
    public void onStop() {
        for (int port = 1; port <= 65535; port++) {
            Listener l = layer.listener(port);
            if (l != null) {
                l.close();
            }
        }
        for (Connection c : layer.connections()) {
            c.close();
        }
    }

    @Override
    public boolean drained() {
        for (Connection c : layer.connections()) {
            if (c.state != TcpState.TIME_WAIT) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void onTerminate() {
        for (Connection c : layer.connections()) {
            c.abort();
        }
    }
}
