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

    /**
     * {@link #abort()} for a connection the application's accept queue had no room for, so the stack
     * can count it under its own name (Linux's ListenOverflows for a full accept queue) rather than
     * as an ordinary application abort.
     */
    default void abortAcceptQueueOverflow() {
        abort();
    }

    /**
     * TCP_NODELAY: with {@code true} every write is sent as soon as the window allows; with
     * {@code false} (the default) Nagle's algorithm holds a less-than-full segment while earlier data
     * is unacknowledged, so small writes coalesce (RFC 9293 §3.7.4, RFC 1122 §4.2.3.4, which lets the
     * application turn it off). Implementations that are not a TCP connection reject it.
     */
    default void setTcpNoDelay(boolean on) {
        throw new UnsupportedOperationException("TCP_NODELAY is not supported by " + getClass().getSimpleName());
    }

    /**
     * R2 of RFC 9293 §3.8.3 for this connection only (MUST-21: "An application MUST be able to set the
     * value for R2 for a particular connection"): how many times unacknowledged data (or an
     * unanswered zero-window probe) is retransmitted before the connection is given up as timed out.
     * The stack's default is {@code TcpConfig.dataRetries()}. Implementations that are not a TCP
     * connection reject it.
     */
    default void setRetransmissionLimit(int retries) {
        throw new UnsupportedOperationException("a retransmission limit is not supported by " + getClass().getSimpleName());
    }

    /**
     * SO_KEEPALIVE with its timing (RFC 1122 §4.2.3.6); {@link KeepAlive#OFF} (the default) turns it
     * off. Implementations that are not a TCP connection reject it.
     */
    default void setKeepAlive(KeepAlive keepAlive) {
        throw new UnsupportedOperationException("keep-alive is not supported by " + getClass().getSimpleName());
    }

    /**
     * SO_LINGER with a zero timeout: when {@code on}, {@link #close()} acts as {@link #abort()} — a
     * reset is sent and unsent and unread data are discarded, instead of the graceful FIN exchange.
     * Implementations that are not a TCP connection reject it.
     */
    default void setAbortOnClose(boolean on) {
        throw new UnsupportedOperationException("SO_LINGER is not supported by " + getClass().getSimpleName());
    }

    /** The connection's current state, for STATUS (RFC 9293 §3.10.6) and traces. */
    String state();

    int localAddress();

    int localPort();

    int remoteAddress();

    int remotePort();

    /**
     * The last ICMP error about this connection that did not end it — a "soft error" such as host
     * unreachable or time exceeded (RFC 1122 §4.2.3.9: never a reason to abort) — in words, e.g.
     * {@code "host unreachable (ICMP 3/1)"}, or null. RFC 9293 §3.9.1.8 (MUST-47) wants
     * such errors reportable to the application: a connect that times out names it.
     */
    default String softError() {
        return null;
    }
}
