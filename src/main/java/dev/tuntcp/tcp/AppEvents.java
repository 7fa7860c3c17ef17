package dev.tuntcp.tcp;

import dev.tuntcp.socket.ConnectionHandler;
import dev.tuntcp.socket.ConnectionHandler.CloseReason;
import dev.tuntcp.socket.PayloadHandler;
import io.netty.buffer.ByteBuf;

/**
 * The application callbacks of one connection, deferred: segment processing, timers and user calls
 * only raise flags, and {@link #deliver} runs the callbacks once the stack is consistent again. So a
 * handler never runs in the middle of §3.10.7 processing, may call any {@code TcpChannel} method, and
 * one handler that throws is isolated: its connection is aborted and counted, the others carry on.
 *
 * <p>Order within one delivery: onOpen, onPayload, onReadable, onWritable, onClosed; nothing after
 * onClosed. After the callbacks, an ACK the connection still owes goes out: segment arrival holds it
 * for the application's turn so that an answer written in a callback carries it.
 *
 * <p>In-order text for a {@link PayloadHandler} is lent, not copied ({@link #payload}): the
 * segment's buffer is still alive while the delivery that follows its processing runs (the link
 * releases the packet only after the stack returns), and whatever the handler leaves unread is
 * copied into the receive buffer then.
 */
final class AppEvents {
    private ConnectionHandler handler;
    private PayloadHandler payloadHandler;
    /** Text lent to {@link PayloadHandler#onPayload} at the next delivery (borrowed), or null. */
    private ByteBuf payload;
    private int payloadIndex;
    private int payloadLength;
    private boolean openPending;
    private boolean readablePending;
    private boolean writablePending;
    private boolean writeBlocked;
    private CloseReason closedPending;
    private boolean closedDelivered;
    private boolean delivering;

    void handler(ConnectionHandler h) {
        this.handler = h;
        this.payloadHandler = h instanceof PayloadHandler p ? p : null;
    }

    /**
     * Whether in-order text may be lent to the handler instead of copied into the receive buffer:
     * it takes payload, no text is lent already, and a delivery will follow (none is running now).
     */
    boolean takesPayload() {
        return payloadHandler != null && payload == null && !delivering && !closedDelivered && closedPending == null;
    }

    /**
     * Lends {@code [index, index + length)} of {@code data} (borrowed: alive until the delivery that
     * follows this segment's processing) to the handler. Only when {@link #takesPayload()}.
     */
    void payload(ByteBuf data, int index, int length) {
        payload = data;
        payloadIndex = index;
        payloadLength = length;
    }

    /** Bytes lent and not yet delivered: the receive window counts them as buffered. */
    int payloadPending() {
        return payload == null ? 0 : payloadLength;
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
                } else if (payload != null) {
                    lendPayload(c);
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
            if (payload != null) {
                keepPayload(c, payload, payloadIndex, payloadLength); // not delivered (closed meanwhile)
            }
        }
    }

    /** Calls onPayload with the lent text; what the handler leaves unread goes to the receive buffer. */
    private void lendPayload(Connection c) {
        ByteBuf data = payload;
        int index = payloadIndex;
        int length = payloadLength;
        payload = null;
        if (closedPending != null) {
            return; // the connection ended (e.g. aborted in onOpen): its queues are flushed
        }
        int readerIndex = data.readerIndex();
        int writerIndex = data.writerIndex();
        int taken = 0;
        try {
            data.setIndex(index, index + length);
            payloadHandler.onPayload(c, data);
            taken = Math.min(Math.max(data.readerIndex() - index, 0), length);
        } catch (RuntimeException | StackOverflowError e) {
            c.handlerFailed(e);
            return;
        } finally {
            data.setIndex(readerIndex, writerIndex);
        }
        c.payloadTaken(taken);
        if (taken < length) {
            keepPayload(c, data, index + taken, length - taken);
        }
    }

    private void keepPayload(Connection c, ByteBuf data, int index, int length) {
        payload = null;
        if (c.keepText(data, index, length)) {
            readablePending = true;
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
