package dev.tuntcp.socket;

/**
 * Options for {@link TcpSocket} and {@link TcpServerSocket}, immutable; start from {@link #DEFAULT}
 * and change with the {@code with...} methods.
 *
 * <p>The buffer sizes are those of the socket layer's own handoff buffers between application
 * threads and the event loop (the equivalent of the bytes a kernel keeps per socket on top of TCP's
 * windows); TCP's own send and receive buffers belong to the stack.
 */
public final class SocketOptions {
    public static final SocketOptions DEFAULT = new SocketOptions(0, 0, 64 * 1024, 64 * 1024, 50);

    // TCP options applied to the connection when it opens (see TcpChannel); defaults as the kernel's.
    private boolean tcpNoDelay;
    private KeepAlive keepAlive = KeepAlive.OFF;
    private boolean abortOnClose;

    private final int connectTimeoutMillis;
    private final int soTimeoutMillis;
    private final int receiveBufferSize;
    private final int sendBufferSize;
    private final int backlog;

    private SocketOptions(int connectTimeoutMillis, int soTimeoutMillis, int receiveBufferSize,
            int sendBufferSize, int backlog) {
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.soTimeoutMillis = soTimeoutMillis;
        this.receiveBufferSize = receiveBufferSize;
        this.sendBufferSize = sendBufferSize;
        this.backlog = backlog;
    }

    /** How long {@code connect} waits for the handshake; 0 waits until the stack gives up. */
    public int connectTimeoutMillis() {
        return connectTimeoutMillis;
    }

    /**
     * SO_TIMEOUT: how long a read (or an accept) blocks before {@link java.net.SocketTimeoutException};
     * 0 blocks without limit. The socket stays usable after a timeout.
     */
    public int soTimeoutMillis() {
        return soTimeoutMillis;
    }

    /** Received bytes held for the application before the socket stops taking data from TCP. */
    public int receiveBufferSize() {
        return receiveBufferSize;
    }

    /** Bytes an application may write ahead before {@code write} blocks. */
    public int sendBufferSize() {
        return sendBufferSize;
    }

    /** Established connections waiting for {@code accept}; beyond it new ones are reset. */
    public int backlog() {
        return backlog;
    }

    /** TCP_NODELAY (default false: Nagle's algorithm on), see {@link TcpChannel#setTcpNoDelay}. */
    public boolean tcpNoDelay() {
        return tcpNoDelay;
    }

    /** SO_KEEPALIVE and its timing (default {@link KeepAlive#OFF}), see {@link TcpChannel#setKeepAlive}. */
    public KeepAlive keepAlive() {
        return keepAlive;
    }

    /** SO_LINGER with zero timeout: close() resets (default false), see {@link TcpChannel#setAbortOnClose}. */
    public boolean abortOnClose() {
        return abortOnClose;
    }

    public SocketOptions withTcpNoDelay(boolean on) {
        SocketOptions o = copy();
        o.tcpNoDelay = on;
        return o;
    }

    public SocketOptions withKeepAlive(KeepAlive value) {
        SocketOptions o = copy();
        o.keepAlive = java.util.Objects.requireNonNull(value, "keepAlive (use KeepAlive.OFF)");
        return o;
    }

    public SocketOptions withAbortOnClose(boolean on) {
        SocketOptions o = copy();
        o.abortOnClose = on;
        return o;
    }

    /** Applies the TCP options to a connection that has just opened (on the event loop). */
    void applyTo(TcpChannel channel) {
        if (tcpNoDelay) {
            channel.setTcpNoDelay(true);
        }
        if (keepAlive.enabled()) {
            channel.setKeepAlive(keepAlive);
        }
        if (abortOnClose) {
            channel.setAbortOnClose(true);
        }
    }

    private SocketOptions copy() {
        return withTcp(new SocketOptions(connectTimeoutMillis, soTimeoutMillis, receiveBufferSize, sendBufferSize,
                backlog));
    }

    private SocketOptions withTcp(SocketOptions o) {
        o.tcpNoDelay = tcpNoDelay;
        o.keepAlive = keepAlive;
        o.abortOnClose = abortOnClose;
        return o;
    }

    public SocketOptions withConnectTimeoutMillis(int millis) {
        return withTcp(new SocketOptions(nonNegative(millis, "connect timeout"), soTimeoutMillis, receiveBufferSize,
                sendBufferSize, backlog));
    }

    public SocketOptions withSoTimeoutMillis(int millis) {
        return withTcp(new SocketOptions(connectTimeoutMillis, nonNegative(millis, "SO_TIMEOUT"), receiveBufferSize,
                sendBufferSize, backlog));
    }

    public SocketOptions withReceiveBufferSize(int bytes) {
        return withTcp(new SocketOptions(connectTimeoutMillis, soTimeoutMillis, positive(bytes, "receive buffer"),
                sendBufferSize, backlog));
    }

    public SocketOptions withSendBufferSize(int bytes) {
        return withTcp(new SocketOptions(connectTimeoutMillis, soTimeoutMillis, receiveBufferSize,
                positive(bytes, "send buffer"), backlog));
    }

    public SocketOptions withBacklog(int connections) {
        return withTcp(new SocketOptions(connectTimeoutMillis, soTimeoutMillis, receiveBufferSize, sendBufferSize,
                positive(connections, "backlog")));
    }

    private static int nonNegative(int value, String what) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must be >= 0: " + value);
        }
        return value;
    }

    private static int positive(int value, String what) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be > 0: " + value);
        }
        return value;
    }

    @Override
    public String toString() {
        return "SocketOptions[connectTimeout=" + connectTimeoutMillis + "ms, soTimeout=" + soTimeoutMillis
                + "ms, receiveBuffer=" + receiveBufferSize + ", sendBuffer=" + sendBufferSize + ", backlog="
                + backlog + ", tcpNoDelay=" + tcpNoDelay + ", keepAlive=" + keepAlive + ", abortOnClose=" + abortOnClose + "]";
    }
}
