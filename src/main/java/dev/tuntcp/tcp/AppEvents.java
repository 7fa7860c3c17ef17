package dev.tuntcp.tcp;

import dev.tuntcp.socket.ConnectionHandler;
import dev.tuntcp.socket.ConnectionHandler.CloseReason;

/**
 * The application callbacks of one connection, deferred: segment processing, timers and user calls
 * only raise flags, and {@link #deliver} runs the callbacks once the stack is consistent again. So a
 * handler never runs in the middle of §3.10.7 processing, may call any {@code TcpChannel} method, and
 * one handler that throws is isolated: its connection is aborted and counted, the others carry on.
 *
 * <p>Order within one delivery: onOpen, onReadable, onWritable, onClosed; nothing after onClosed.
 * After the callbacks, an ACK the connection still owes goes out: segment arrival holds it for the
 * application's turn so that an answer written in a callback carries it.
 */
final class AppEvents {
    private ConnectionHandler handler;
    private boolean openPending;
    private boolean readablePending;
    private boolean writablePending;
    private boolean writeBlocked;
    private CloseReason closedPending;
    private boolean closedDelivered;
    private boolean delivering;

    void handler(ConnectionHandler h) {
        this.handler = h;
    }

    ConnectionHandler handler() {
        return handler;
    }

    void opened() {
        openPending = true;
    }

    void readable() {
        readablePending = true;
    }

    /** A write took less than offered: call onWritable once room frees. */
    void writeBlocked() {
        writeBlocked = true;
    }

    /** Room freed in the send buffer. */
    void roomFreed() {
        if (writeBlocked) {
            writeBlocked = false;
            writablePending = true;
        }
    }

    /** The connection ended; only the first reason counts. */
    void closed(CloseReason reason) {
        if (closedPending == null && !closedDelivered) {
            closedPending = reason;
        }
    }

    boolean closeReported() {
        return closedPending != null || closedDelivered;
    }

    /** Whether {@link #deliver} would call the handler now (or a delivery is already under way). */
    boolean pending() {
        if (handler == null || closedDelivered) {
            return false;
        }
        return delivering || openPending || readablePending || writablePending || closedPending != null;
    }

    /** True while the handler's callbacks run (a read or write from inside one). */
    boolean delivering() {
        return delivering;
    }

    /**
     * Runs the pending callbacks on {@code c}. Re-entrant calls (a handler's own write or close) only
     * add flags; the outermost call delivers them before returning.
     */
    void deliver(Connection c) {
        if (delivering || handler == null) {
            return;
        }
        if (runCallbacks(c) && c.ackNow) {
            // An ACK owed for what the application just heard of was held for its answer
            // (SegmentSender.outputAfterArrival, UserCalls.receive); nothing carried it: send it now.
            SegmentSender.output(c, false);
        }
    }

    /** The callbacks of one delivery, in order; returns whether any ran. */
    private boolean runCallbacks(Connection c) {
        boolean ran = false;
        delivering = true;
        try {
            while (true) {
                if (closedDelivered) {
                    openPending = readablePending = writablePending = false;
                    return ran;
                }
                if (openPending) {
                    openPending = false;
                    invoke(c, Callback.OPEN);
                } else if (readablePending) {
                    readablePending = false;
                    invoke(c, Callback.READABLE);
                } else if (writablePending) {
                    writablePending = false;
                    invoke(c, Callback.WRITABLE);
                } else if (closedPending != null) {
                    closedDelivered = true;
                    invoke(c, Callback.CLOSED);
                } else {
                    return ran;
                }
                ran = true;
            }
        } finally {
            delivering = false;
        }
    }

    private enum Callback { OPEN, READABLE, WRITABLE, CLOSED }

    private void invoke(Connection c, Callback which) {
        try {
            switch (which) {
                case OPEN -> handler.onOpen(c);
                case READABLE -> handler.onReadable(c);
                case WRITABLE -> handler.onWritable(c);
                case CLOSED -> handler.onClosed(c, closedPending);
            }
        } catch (RuntimeException | StackOverflowError e) {
            // A failing application must not take the stack or other connections with it.
            c.handlerFailed(e);
        }
    }
}
