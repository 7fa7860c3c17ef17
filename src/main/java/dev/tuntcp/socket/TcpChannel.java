package dev.tuntcp.socket;

import io.netty.buffer.ByteBuf;

/**
 * The non-blocking application view of one TCP connection. Every method must be called on the
 * stack's event-loop thread (from a {@link ConnectionHandler} callback or a task posted to the loop).
 *
 * <p>Reading is pull-based so the advertised receive window stays honest: data waits in the
 * connection's receive buffer until the application takes it with {@link #read(int)}, and the
 * window opens as it does (RFC 9293 §3.8.6.2).
 */
public interface TcpChannel {

    /**
     * Takes up to {@code maxBytes} of in-order received data. The caller owns the returned buffer and
     * must release it. Returns {@code null} when nothing is buffered.
     */
    ByteBuf read(int maxBytes);

    /** Bytes received and not yet read. */
    int readableBytes();

    /** True once the peer's FIN has been received and all data before it has been read. */
    boolean isInputShutdown();

    /**
     * Copies as much of {@code data} as the send buffer has room for, advancing its reader index;
     * returns how many bytes were taken. The caller keeps ownership of {@code data}.
     * When it takes fewer than offered, {@link ConnectionHandler#onWritable} follows once room frees.
     */
    int write(ByteBuf data);

    /** Free space in the send buffer now. */
    int writableBytes();

    /** Sends FIN after the buffered data (half-close, the user's CLOSE in RFC 9293 §3.10.4). */
    void shutdownOutput();

    /** Half-closes and drops further input; the connection goes away after the teardown completes. */
    void close();

    /** Sends RST and discards all buffered data (RFC 9293 §3.10.5 ABORT). */
    void abort();

    /** The connection's current state, for STATUS (RFC 9293 §3.10.6) and traces. */
    String state();

    int localAddress();

    int localPort();

    int remoteAddress();

    int remotePort();
}
