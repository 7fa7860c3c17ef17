package dev.tuntcp.tcp;

import dev.tuntcp.socket.ConnectionHandler.CloseReason;
import io.netty.buffer.ByteBuf;

/**
 * The user calls SEND, RECEIVE, CLOSE and ABORT of RFC 9293 §3.10.2-§3.10.5, state by state. OPEN is
 * {@link TcpLayer#connect} and {@link TcpLayer#listen}; STATUS is {@link Connection#status()}. Each
 * call ends by delivering the application events it raised.
 */
final class UserCalls {
    private UserCalls() {
    }

    /** Whether SEND is allowed: before our CLOSE, in a state that can still carry our data. */
    static boolean canSend(Connection c) {
        if (c.finQueued) {
            return false;
        }
        return switch (c.state) {
            case SYN_SENT, SYN_RECEIVED, ESTABLISHED, CLOSE_WAIT -> true;
            default -> false;
        };
    }

    /** RFC 9293 §3.10.2 SEND. */
    static int send(Connection c, ByteBuf data) {
        // CLOSED: "connection does not exist"; FIN-WAIT-1 .. TIME-WAIT: "connection closing".
        // Nothing is taken (the application hears onClosed, or closed the output itself).
        if (!canSend(c)) {
            return 0;
        }
        int offered = data.readableBytes();
        int taken = c.sendBuffer.write(data);
        if (taken < offered) {
            c.events.writeBlocked();
        }
        // SYN-SENT, SYN-RECEIVED: "queue the data for transmission after entering ESTABLISHED".
        // ESTABLISHED, CLOSE-WAIT: "segmentize the buffer and send it".
        if (taken > 0 && (c.state == TcpState.ESTABLISHED || c.state == TcpState.CLOSE_WAIT)) {
            SegmentSender.output(c, false);
        }
        c.events.deliver(c);
        return taken;
    }

    /**
     * RFC 9293 §3.10.3 RECEIVE: takes buffered in-order data. Reading opens the window. The peer is
     * told at once when the window can grow by at least min(half the buffer, one MSS) (the receiver's
     * side of silly-window avoidance, RFC 9293 §3.8.6.2.2) and at least doubles what was last
     * advertised (as Linux's tcp_cleanup_rbuf does), so a sender held back by a small or zero window
     * resumes without waiting for a probe, while a wide-open window costs no extra segments. Read
     * from inside a callback, the update waits for the callbacks to end and rides on the answer.
     */
    static ByteBuf receive(Connection c, int maxBytes) {
        ByteBuf out = c.receiveBuffer.read(maxBytes, c.layer.config().allocator());
        if (out != null && peerMaySend(c)) {
            c.autotune.applicationRead(out.readableBytes());
            int advertised = c.rcvAdvertisedEdge - c.rcvNxt;
            int window = c.rcvWnd();
            int threshold = Math.min(c.receiveBuffer.capacity() / 2, c.layer.config().mss());
            if (window - advertised >= threshold && window >= 2 * advertised) {
                c.ackNow = true;
                if (!c.events.delivering()) {
                    SegmentSender.output(c, false);
                }
                // else: read from inside a callback: the update goes when the callbacks end, on the
                // application's answer if it writes one (AppEvents.deliver), never later than that.
            }
        }
        c.events.deliver(c);
        return out;
    }

    static boolean peerMaySend(Connection c) {
        return switch (c.state) {
            case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2 -> true;
            default -> false;
        };
    }

    /**
     * RFC 9293 §3.10.4 CLOSE ("I have no more to send"). With {@code dropInput} (the socket's close())
     * the application also wants no more input: per RFC 1122 §4.2.2.13 unread data then means the
     * connection is reset, so that the peer learns its data was lost.
     */
    static void close(Connection c, boolean dropInput) {
        if (dropInput && c.abortOnClose && c.state != TcpState.CLOSED) {
            // SO_LINGER with a zero timeout: close() is ABORT (RST, data discarded), as in BSD and Linux.
            c.layer.count(TcpStat.LINGER_ABORTS);
            abort(c);
            return;
        }
        if (dropInput && !c.inputClosed && c.state != TcpState.CLOSED) {
            c.inputClosed = true;
            if (c.receiveBuffer.size() > 0) {
                c.layer.drop(c, null, TcpDrop.DATA_AFTER_CLOSE);
                abort(c);
                return;
            }
            if (c.state == TcpState.FIN_WAIT_2) {
                c.enterFinWait2(); // already there: this arms the orphan timeout
            }
        }
        if (c.finQueued) {
            // FIN-WAIT-1, FIN-WAIT-2, CLOSING, LAST-ACK, TIME-WAIT: "connection closing"; nothing to do.
            c.events.deliver(c);
            return;
        }
        switch (c.state) {
            case SYN_SENT -> {
                if (c.sendBuffer.size() == 0) {
                    // "Delete the TCB and return 'error: closing' responses to any queued SENDs."
                    c.terminate(CloseReason.CLOSED);
                } else {
                    // Data was queued by SEND in SYN-SENT: keep it, and queue the FIN after it
                    // (the same choice §3.10.4 makes for SYN-RECEIVED), so no written byte is lost.
                    c.finQueued = true;
                }
            }
            case SYN_RECEIVED ->
                // "Queue for processing after entering ESTABLISHED state": Connection.enterEstablished
                // moves to FIN-WAIT-1 and the FIN follows the data.
                c.finQueued = true;
            case ESTABLISHED -> {
                // "Queue this until all preceding SENDs have been segmentized, then form a FIN segment
                // and send it. In any case, enter FIN-WAIT-1 state."
                c.finQueued = true;
                c.setState(TcpState.FIN_WAIT_1);
                SegmentSender.output(c, false);
            }
            case CLOSE_WAIT -> {
                // "Queue this request until all preceding SENDs have been segmentized; then send a FIN
                // segment, enter LAST-ACK state."
                c.finQueued = true;
                c.setState(TcpState.LAST_ACK);
                SegmentSender.output(c, false);
            }
            default -> {
                // CLOSED: "connection does not exist".
            }
        }
        c.events.deliver(c);
    }

    /** RFC 9293 §3.10.5 ABORT. */
    static void abort(Connection c) {
        switch (c.state) {
            case SYN_SENT ->
                // "All queued SENDs and RECEIVEs should be given 'reset' notification; delete the TCB."
                c.terminate(CloseReason.ABORTED);
            case SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT -> {
                // "Send a reset segment: <SEQ=SND.NXT><CTL=RST>", flush the queues, delete the TCB.
                SegmentSender.sendReset(c);
                c.terminate(CloseReason.ABORTED);
            }
            case CLOSING, LAST_ACK, TIME_WAIT ->
                // "Respond with 'ok' and delete the TCB."
                c.terminate(CloseReason.ABORTED);
            default -> {
            }
        }
        c.events.deliver(c);
    }
}
