package dev.tuntcp.app;

import dev.tuntcp.socket.ConnectionHandler;
import dev.tuntcp.socket.ConnectionHandlerFactory;
import dev.tuntcp.socket.PayloadHandler;
import dev.tuntcp.socket.TcpChannel;
import dev.tuntcp.stack.Counters;
import io.netty.buffer.ByteBuf;

/**
 * The discard service (RFC 863, TCP port 9): reads everything and throws it away, counting the bytes
 * ({@link ServiceCounter#DISCARD_BYTES}). Reading as fast as data arrives keeps the receive window
 * open, so it measures the stack's receive path. On the peer's FIN it half-closes too.
 *
 * <p>It takes data as a {@link PayloadHandler}: in-order bytes are counted where they were received
 * (the TUN read buffer) and never copied; only data that waited in the receive buffer (after an
 * out-of-order arrival) is read with {@link TcpChannel#read}.
 */
public final class DiscardService implements ConnectionHandlerFactory {
    public static final int PORT = 9;
    static final int CHUNK = 64 * 1024;

    private final Counters counters;

    public DiscardService(Counters counters) {
        this.counters = counters;
    }

    @Override
    public ConnectionHandler newHandler() {
        return new Discard(counters);
    }

    private static final class Discard extends PumpedHandler implements PayloadHandler {
        private boolean finished;

        Discard(Counters counters) {
            super(counters);
        }

        @Override
        protected void opened(TcpChannel channel) {
            counters.increment(ServiceCounter.DISCARD_CONNECTIONS);
        }

        @Override
        public void onPayload(TcpChannel channel, ByteBuf payload) {
            int n = payload.readableBytes();
            payload.skipBytes(n); // taken: counted, not copied
            counters.add(ServiceCounter.DISCARD_BYTES, n);
        }

        @Override
        protected void pump(TcpChannel channel) {
            while (!finished) {
                ByteBuf data = channel.read(CHUNK);
                if (data == null) {
                    if (channel.isInputShutdown()) {
                        finished = true;
                        channel.shutdownOutput();
                    }
                    return;
                }
                int n = data.readableBytes();
                data.release();
                counters.add(ServiceCounter.DISCARD_BYTES, n);
            }
        }

        @Override
        protected void release() {
            // Nothing is held between callbacks: every buffer is released as soon as it is read.
        }
    }
}
