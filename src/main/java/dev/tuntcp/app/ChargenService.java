package dev.tuntcp.app;

import dev.tuntcp.socket.ConnectionHandler;
import dev.tuntcp.socket.ConnectionHandlerFactory;
import dev.tuntcp.socket.TcpChannel;
import dev.tuntcp.stack.Counters;
import io.netty.buffer.ByteBuf;

/**
 * The character generator (RFC 864, TCP port 19): from the moment the connection opens it sends the
 * rotating 72-character lines ({@link RepeatingPattern#chargenCycle()}) as fast as the send buffer
 * frees, and throws away anything received. It stops at the peer's FIN by half-closing (the RFC:
 * "until the calling user terminates the connection"); a peer's RST ends it through onClosed.
 */
public final class ChargenService implements ConnectionHandlerFactory {
    public static final int PORT = 19;
    static final int CHUNK = 64 * 1024;

    private final Counters counters;

    public ChargenService(Counters counters) {
        this.counters = counters;
    }

    @Override
    public ConnectionHandler newHandler() {
        return new Chargen(counters);
    }

    private static final class Chargen extends PumpedHandler {
        private final RepeatingPattern.Cursor cursor = RepeatingPattern.CHARGEN.cursor(0);
        private boolean finished;

        Chargen(Counters counters) {
            super(counters);
        }

        @Override
        protected void opened(TcpChannel channel) {
            counters.increment(ServiceCounter.CHARGEN_CONNECTIONS);
        }

        @Override
        protected void pump(TcpChannel channel) {
            if (finished) {
                return;
            }
            // RFC 864: "any data received is thrown away".
            for (ByteBuf data; (data = channel.read(CHUNK)) != null; ) {
                data.release();
            }
            if (channel.isInputShutdown()) {
                finished = true;
                channel.shutdownOutput();
                return;
            }
            counters.add(ServiceCounter.CHARGEN_BYTES, cursor.writeTo(channel, Long.MAX_VALUE));
        }

        @Override
        protected void release() {
            // The cursor only views the shared, unreleasable pattern.
        }
    }
}
