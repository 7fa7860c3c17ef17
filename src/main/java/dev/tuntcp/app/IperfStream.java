package dev.tuntcp.app;

import dev.tuntcp.socket.TcpChannel;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * One iperf3 data connection of a running test: either it sinks what the client sends (counting the
 * bytes, releasing each buffer at once so the receive window stays open), or it sends an endless
 * repeating pattern from one shared read-only buffer ({@link RepeatingPattern}) as fast as the send
 * buffer frees, within the test's byte budget. Nothing is allocated per segment or per write.
 *
 * <p>It runs on its connection's loop, which may not be the test's ({@code serve --queues N}): it
 * counts into that loop's counters, and its byte counts are read by the test only after a task
 * round trip through this loop ({@link IperfSession}), or as the volatile values they are.
 */
final class IperfStream {
    /** Largest share of a byte budget one write reserves ({@link IperfSession#reserve}). */
    static final long SEND_QUANTUM = 256 * 1024;
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
    /** The session has closed (or aborted) this connection; the test's loop only. */
    boolean closed;
    /** Bytes moved since the stream joined; written by this stream's loop only. */
    private volatile long bytes;
    /** {@link #bytes} when the {@code --omit} seconds ended (they are not part of the result). */
    private volatile long omitted;
    /** Whether {@link #omitted} has been taken; this stream's loop only. */
    private boolean omitTaken;

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

    /**
     * In-order data lent by the stack ({@code PayloadHandler}): a receiving stream counts it, a
     * sending one drops it; either way it is taken without a copy.
     */
    void take(ByteBuf payload) {
        boolean counting = counting();
        int n = payload.readableBytes();
        payload.skipBytes(n);
        if (!sends && counting) {
            bytes += n;
            connection.service().counters.add(IperfCounter.BYTES_RECEIVED, n);
        }
    }

    /** Touches the session and ends the --omit seconds when they are over; true while bytes count. */
    private boolean counting() {
        long now = session.touch(connection.service().clock);
        boolean counting = session.isCounting();
        if (counting && !omitTaken && now - session.measureStartNanos() >= 0) {
            // The --omit seconds are over (at once without --omit): what came before is not measured.
            omitTaken = true;
            omitted = bytes;
        }
        return counting;
    }

    /** Moves what can move now; called from the stream connection's pump, on its loop. */
    void pump(TcpChannel channel) {
        boolean counting = counting();
        if (!sends) {
            for (ByteBuf data; (data = channel.read(CHUNK)) != null; ) {
                int n = data.readableBytes();
                data.release();
                if (counting) {
                    bytes += n;
                    connection.service().counters.add(IperfCounter.BYTES_RECEIVED, n);
                }
            }
            return;
        }
        if (session.isRunning()) {
            long n;
            long allowed;
            do {
                allowed = session.reserve(SEND_QUANTUM);
                n = allowed > 0 ? cursor.writeTo(channel, allowed) : 0;
                session.unreserve(allowed - n);
                bytes += n;
                connection.service().counters.add(IperfCounter.BYTES_SENT, n);
            } while (n > 0 && n == allowed); // the channel took it all: it may take more
        }
        // Nothing is expected from the client on a stream it receives; keep the window open anyway.
        for (ByteBuf data; (data = channel.read(CHUNK)) != null; ) {
            data.release();
        }
    }
}
