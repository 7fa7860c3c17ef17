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

    /**
     * Runs the pending callbacks on {@code c}. Re-entrant calls (a handler's own write or close) only
     * add flags; the outermost call delivers them before returning.
     */
    void deliver(Connection c) {
        if (delivering || handler == null) {
            return;
        }
        delivering = true;
        try {
            while (true) {
                if (closedDelivered) {
                    openPending = readablePending = writablePending = false;
                    return;
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
                    return;
                }
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
