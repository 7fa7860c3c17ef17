package dev.tuntcp.app;

import dev.tuntcp.socket.ConnectionHandler;
import dev.tuntcp.socket.ConnectionHandlerFactory;
import dev.tuntcp.socket.TcpChannel;
import dev.tuntcp.stack.Counters;
import io.netty.buffer.ByteBuf;

/**
 * The echo service (RFC 862, TCP port 7): every byte received is sent back. Backpressure is end to
 * end: while the send buffer cannot take a chunk the handler stops reading, so the receive window
 * closes and the peer slows down; at most one chunk is held. On the peer's FIN the handler finishes
 * echoing what came before it, then half-closes its own side.
 */
public final class EchoService implements ConnectionHandlerFactory {
    public static final int PORT = 7;
    static final int CHUNK = 64 * 1024;

    private final Counters counters;

    public EchoService(Counters counters) {
        this.counters = counters;
    }

    @Override
    public ConnectionHandler newHandler() {
        return new Echo(counters);
    }

    private static final class Echo extends PumpedHandler {
        /** Read from the channel, not yet all taken back by it; owned here, released when done. */
        private ByteBuf held;
        private boolean finished;

        Echo(Counters counters) {
            super(counters);
        }

        @Override
        protected void opened(TcpChannel channel) {
            counters.increment(ServiceCounter.ECHO_CONNECTIONS);
        }

        @Override
        protected void pump(TcpChannel channel) {
            while (!finished && !isClosed()) {
                if (held != null) {
                    channel.write(held);
                    if (held.isReadable()) {
                        return;
                    }
                    held.release();
                    held = null;
                }
                ByteBuf data = channel.read(CHUNK);
                if (data == null) {
                    if (channel.isInputShutdown()) {
                        // RFC 862 leaves the close to the user; half-closing after the last echoed
                        // byte lets `nc -N` see every byte and then EOF.
                        finished = true;
                        channel.shutdownOutput();
                    }
                    return;
                }
                counters.add(ServiceCounter.ECHO_BYTES, data.readableBytes());
                held = data;
            }
        }

        @Override
        protected void release() {
            if (held != null) {
                held.release();
                held = null;
            }
        }
    }
}
