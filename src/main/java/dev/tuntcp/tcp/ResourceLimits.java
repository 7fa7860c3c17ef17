package dev.tuntcp.tcp;

/**
 * The layer-wide resource bounds of {@link TcpConfig}: how many connections exist and how much
 * receive and send buffer memory they have reserved. A connection reserves its buffers' full
 * capacity when it is admitted (the buffers themselves are allocated lazily, so real use is at most
 * the reservation) and gives it back when it enters TIME-WAIT (its send buffer is gone, its
 * application has closed; as Linux's tcp_tw buckets, it keeps only the 4-tuple and sequence numbers)
 * or CLOSED. Admission is the only place a bound bites: a new connection that would cross one is
 * refused, and nothing already admitted is touched. TIME-WAIT connections still count against
 * {@link TcpConfig#maxConnections()}.
 *
 * <p>Owned by the event-loop thread.
 */
final class ResourceLimits {
    private final TcpConfig config;
    private long receiveReserved;
    private long sendReserved;
    /** Out-of-order bytes all connections hold ({@link OutOfOrderQueue}). */
    private long outOfOrderHeld;

    ResourceLimits(TcpConfig config) {
        this.config = config;
    }

    /**
     * Whether {@code c} may join a table that now holds {@code connections}: null if so, otherwise the
     * bound it would cross.
     */
    TcpDrop check(Connection c, int connections) {
        if (connections >= config.maxConnections()) {
            return TcpDrop.CONNECTION_LIMIT;
        }
        if (receiveReserved + c.receiveBuffer.capacity() > config.receiveMemoryLimit()) {
            return TcpDrop.RECEIVE_MEMORY_LIMIT;
        }
        if (sendReserved + c.sendBuffer.capacity() > config.sendMemoryLimit()) {
            return TcpDrop.SEND_MEMORY_LIMIT;
        }
        return null;
    }

    /** {@code c} has joined the table. */
    void reserve(Connection c) {
        receiveReserved += c.receiveBuffer.capacity();
        sendReserved += c.sendBuffer.capacity();
    }

    /**
     * {@code c} changed state: entering TIME-WAIT, or CLOSED from any state but TIME-WAIT, ends its
     * reservation (exactly once: a connection changes to each of these at most once).
     */
    void stateChanged(Connection c, TcpState from, TcpState to) {
        if (to == TcpState.TIME_WAIT || (to == TcpState.CLOSED && from != TcpState.TIME_WAIT)) {
            release(c);
        }
    }

    private void release(Connection c) {
        receiveReserved -= c.receiveBuffer.capacity();
        sendReserved -= c.sendBuffer.capacity();
    }

    /**
     * Out-of-order data of {@code n} more bytes may be held if all connections together stay within
     * {@link TcpConfig#outOfOrderMemoryLimit()} (issue 8 item 4); if so they are counted now.
     */
    boolean holdOutOfOrder(int n) {
        if (outOfOrderHeld + n > config.outOfOrderMemoryLimit()) {
            return false;
        }
        outOfOrderHeld += n;
        return true;
    }

    /** {@code n} held out-of-order bytes were taken in order or forgotten. */
    void releaseOutOfOrder(int n) {
        outOfOrderHeld -= n;
    }

    long outOfOrderHeld() {
        return outOfOrderHeld;
    }

    /**
     * Receive-buffer autotuning wants {@code c}'s buffer {@code more} bytes larger: allowed, and
     * reserved, while all receive buffers together stay within {@link TcpConfig#receiveMemoryLimit()}.
     * Refusing only stops the growth; the connection keeps the buffer it has.
     */
    boolean growReceive(int more) {
        if (receiveReserved + more > config.receiveMemoryLimit()) {
            return false;
        }
        receiveReserved += more;
        return true;
    }

    long receiveReserved() {
        return receiveReserved;
    }

    long sendReserved() {
        return sendReserved;
    }
}
