package dev.tuntcp.app;

import dev.tuntcp.socket.TcpChannel;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * One iperf3 data connection of a running test: either it sinks what the client sends (counting the
 * bytes, releasing each buffer at once so the receive window stays open), or it sends an endless
 * repeating pattern from one shared read-only buffer ({@link RepeatingPattern}) as fast as the send
 * buffer frees, within the test's byte budget. Nothing is allocated per segment or per write.
 */
final class IperfStream {
    /** Largest single read from the receive buffer. */
    static final int CHUNK = 64 * 1024;
    /** What iperf3's {@code --repeating-payload} sends; the content of a TCP test is not checked. */
    static final RepeatingPattern PAYLOAD =
            new RepeatingPattern("0123456789".getBytes(StandardCharsets.US_ASCII));

    final int id;
    final boolean sends;
    final IperfConnection connection;
    private final IperfSession session;
    private final RepeatingPattern.Cursor cursor;
    /** The session has closed (or aborted) this connection. */
    boolean closed;
    /** Bytes moved since the stream joined. */
    private long bytes;
    /** {@link #bytes} when the {@code --omit} seconds ended (they are not part of the result). */
    private long omitted;

    IperfStream(int id, boolean sends, IperfConnection connection, IperfSession session) {
        this.id = id;
        this.sends = sends;
        this.connection = connection;
        this.session = session;
        this.cursor = sends ? PAYLOAD.cursor(0) : null;
    }

    /** Bytes of the result: moved since the omitted seconds ended. */
    long resultBytes() {
        return bytes - omitted;
    }

    void endOmitting() {
        omitted = bytes;
    }

    /** Moves what can move now; called from the stream connection's pump. */
    void pump(TcpChannel channel) {
        session.touch();
        if (!sends) {
            boolean counting = session.isCounting();
            for (ByteBuf data; (data = channel.read(CHUNK)) != null; ) {
                int n = data.readableBytes();
                data.release();
                if (counting) {
                    bytes += n;
                    session.received(n);
                }
            }
            return;
        }
        if (session.isRunning()) {
            long allowed = session.sendAllowance();
            if (allowed > 0) {
                long n = cursor.writeTo(channel, allowed);
                bytes += n;
                session.sent(n);
            }
        }
        // Nothing is expected from the client on a stream it receives; keep the window open anyway.
        for (ByteBuf data; (data = channel.read(CHUNK)) != null; ) {
            data.release();
        }
    }
}
