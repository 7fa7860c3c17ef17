package dev.tuntcp.stack;

import dev.tuntcp.ip.Ipv4Output;
import dev.tuntcp.ip.TransportReceiver;
import dev.tuntcp.socket.ConnectionHandler;
import dev.tuntcp.socket.ConnectionHandlerFactory;
import dev.tuntcp.socket.SocketStack;
import dev.tuntcp.tcp.Connection;
import dev.tuntcp.tcp.Listener;
import dev.tuntcp.tcp.PacketSink;
import dev.tuntcp.tcp.TcpConfig;
import dev.tuntcp.tcp.TcpInput;
import dev.tuntcp.tcp.TcpLayer;
import dev.tuntcp.tcp.TcpState;
import dev.tuntcp.tcp.WireTcpOutput;
import dev.tuntcp.wire.Ipv4Header;
import io.netty.buffer.ByteBuf;
import java.net.BindException;

/**
 * A {@link Stack} with TCP on it (DESIGN §1): the {@link TcpLayer} receives protocol 6 from the IPv4
 * layer through {@link TcpInput} and sends through {@link WireTcpOutput} into IPv4 output. It is
 * also the {@link SocketStack} that blocking sockets and services use, so applications reach the
 * stack only through tasks on its event loop.
 */
public final class TcpStack implements SocketStack, AutoCloseable {
    /** IANA protocol number of TCP. */
    public static final int PROTOCOL_TCP = 6;

    private final Stack stack;
    private final TcpLayer tcp;
    private final WireTcpOutput output;
    private final TransportReceiver receiver;

    /** Puts TCP on {@code stack}; construct on the loop's owner thread (or before the loop starts). */
    public TcpStack(Stack stack, TcpConfig config) {
        this.stack = stack;
        Ipv4Output ip = stack.ipv4Output();
        this.output = new WireTcpOutput(stack.alloc(), new PacketSink() {
            @Override
            public void send(ByteBuf packet) {
                ip.send(packet);
            }

            @Override
            public void sendSegmented(ByteBuf packet, int segmentSize) {
                ip.sendSegmented(packet, segmentSize); // the link segments (TSO) or IP cuts in software
            }
        });
        this.tcp = new TcpLayer(config.allocator(stack.alloc()), stack.timers(), stack.counters(), output);
        TcpInput input = new TcpInput(tcp);
        TcpLayer layer = this.tcp;
        stack.inputBatch(new Stack.InputBatch() {
            @Override
            public void started() {
                layer.beginInputBatch();
            }

            @Override
            public void ended() {
                layer.endInputBatch();
            }
        });
        this.receiver = new TransportReceiver() {
            @Override
            public void onSegment(Ipv4Header ip, ByteBuf packet) {
                onSegment(ip, packet, false);
            }

            @Override
            public void onSegment(Ipv4Header ip, ByteBuf packet, boolean checksumTrusted) {
                try {
                    // The IPv4 view is relative to the buffer; TCP borrows the bytes for the call.
                    input.receive(ip.sourceAddress(), ip.destinationAddress(), packet,
                            ip.payloadOffset(), ip.payloadLength(), checksumTrusted);
                } finally {
                    packet.release();
                }
            }

            @Override
            public void onIcmpError(int type, int code, int restOfHeader, ByteBuf quote, int quoteOffset, int quoteLength) {
                tcp.onIcmpError(type, code, restOfHeader, quote, quoteOffset, quoteLength);
            }
        };
        stack.ipv4Input().register(PROTOCOL_TCP, receiver);
    }

    /**
     * What the IPv4 layer hands TCP datagrams to on this stack (registered for protocol 6); a
     * multi-queue host puts its steering in front of it and delivers here what this loop owns.
     */
    public TransportReceiver transportReceiver() {
        return receiver;
    }

    public Stack stack() {
        return stack;
    }

    public TcpLayer tcp() {
        return tcp;
    }

    public EventLoop loop() {
        return stack.loop();
    }

    /** The stack's own address (where services listen and active opens come from). */
    public int address() {
        return stack.config().address();
    }

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
        int chosen = port != 0 ? port : freePort();
        if (chosen == 0 || tcp.listener(chosen) != null) {
            throw new BindException("port " + port + " already has a listener on the stack");
        }
        Listener listener = tcp.listen(address(), chosen, factory);
        return new Listening() {
            @Override
            public int port() {
                return chosen;
            }

            @Override
            public void close() {
                listener.close();
            }
        };
    }

    @Override
    public void connect(int remoteAddress, int remotePort, ConnectionHandler handler) {
        tcp.connect(address(), remoteAddress, remotePort, handler);
    }

    /**
     * Closes every connection gracefully (CLOSE, RFC 9293 §3.10.4) for a stop; returns true once none
     * is left that still has data or a FIN in flight. Call repeatedly from the loop's stop hook.
     */
    public boolean closeAllGracefully() {
        boolean idle = true;
        for (Connection c : tcp.connections()) {
            TcpState s = c.tcpState();
            if (s == TcpState.TIME_WAIT || s == TcpState.CLOSED) {
                continue;
            }
            idle = false;
            if (!s.hasClosedOutput()) {
                c.close();
            }
        }
        return idle;
    }

    private int freePort() {
        for (int p = 1024; p < 65536; p++) {
            if (tcp.listener(p) == null) {
                return p;
            }
        }
        return 0;
    }

    @Override
    public void close() {
        for (Connection c : tcp.connections()) {
            if (c.tcpState() != TcpState.CLOSED && c.tcpState() != TcpState.TIME_WAIT) {
                c.abort();
            }
        }
        output.close();
        stack.close();
    }
}
