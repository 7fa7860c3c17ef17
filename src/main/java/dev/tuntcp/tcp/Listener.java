package dev.tuntcp.tcp;

import dev.tuntcp.socket.ConnectionHandlerFactory;

/**
 * A passive OPEN (RFC 9293 §3.10.1): a port in the LISTEN state. Each SYN it accepts creates a
 * {@link Connection} in SYN-RECEIVED; the connection asks {@link #factory()} for its handler when the
 * handshake completes. The backlog bounds how many of its connections may be half-open
 * (SYN-RECEIVED) at once; a SYN beyond it is dropped, and the peer's retransmission tries again
 * (as Linux does without SYN cookies).
 *
 * <p>A listener's foreign socket is always unspecified, so the diagram's LISTEN → SYN-SENT (SEND on a
 * listening connection, RFC 9293 §3.10.2) cannot happen here: that SEND is the RFC's "foreign socket
 * unspecified" error; an active open is {@link TcpLayer#connect}.
 *
 * <p>All methods must be called on the event-loop thread.
 */
public final class Listener {
    private final TcpLayer layer;
    private final int localAddress;
    private final int localPort;
    private final int backlog;
    private final ConnectionHandlerFactory factory;
    private int halfOpen;
    private boolean closed;
    private boolean cookiesSent;
    private long lastCookieNanos;

    Listener(TcpLayer layer, int localAddress, int localPort, int backlog, ConnectionHandlerFactory factory) {
        this.layer = layer;
        this.localAddress = localAddress;
        this.localPort = localPort;
        this.backlog = backlog;
        this.factory = factory;
    }

    /** The address listened on, or 0 for every local address. */
    public int localAddress() {
        return localAddress;
    }

    public int localPort() {
        return localPort;
    }

    public int backlog() {
        return backlog;
    }

    public ConnectionHandlerFactory factory() {
        return factory;
    }

    /** Connections of this listener now in SYN-RECEIVED. */
    public int halfOpenCount() {
        return halfOpen;
    }

    /** STATUS: LISTEN until closed, then CLOSED. */
    public TcpState state() {
        return closed ? TcpState.CLOSED : TcpState.LISTEN;
    }

    /**
     * CLOSE in LISTEN (RFC 9293 §3.10.4): the port stops accepting, and its half-open connections are
     * reset (no application has seen them yet). Established connections are not affected.
     */
    public void close() {
        if (!closed) {
            closed = true;
            layer.removeListener(this);
        }
    }

    boolean matches(int address) {
        return localAddress == 0 || localAddress == address;
    }

    boolean backlogFull() {
        return halfOpen >= backlog;
    }

    /** A SYN cookie went out at {@code nanos} (RFC 4987 §3.6). */
    void cookieSent(long nanos) {
        cookiesSent = true;
        lastCookieNanos = nanos;
    }

    /**
     * Whether an ACK may be checked as a cookie: only while cookies sent recently may still be live
     * (as Linux's tcp_synq_no_recent_overflow), so that at quiet times nothing can complete a
     * connection by guessing one.
     */
    boolean cookiesRecentlySent(long nanos) {
        return cookiesSent && nanos - lastCookieNanos < SynCookies.MAX_AGE * SynCookies.PERIOD_NANOS;
    }

    void halfOpenAdded() {
        halfOpen++;
    }

    void halfOpenRemoved() {
        if (halfOpen > 0) {
            halfOpen--;
        }
    }
}
