package dev.tuntcp.socket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * One side of a {@link LoopbackStack} connection: a send buffer and a receive buffer of the stack's
 * pipe capacity. Runs entirely on the loop thread; breaches of the {@link TcpChannel} contract are
 * recorded as failures of the stack.
 */
final class PipeChannel implements TcpChannel {
    private final LoopbackStack stack;
    ConnectionHandler handler;
    PipeChannel peer;
    private final int localPort;
    private final int remotePort;
    private final ByteBuf received = Unpooled.buffer();
    private final ByteBuf sendBuffer = Unpooled.buffer();
    private boolean finQueued;
    private boolean finSent;
    private boolean finReceived;
    private boolean inputDropped;
    private boolean wantsWritable;
    private boolean gone;
    private boolean endedCleanly;
    private boolean released;

    PipeChannel(LoopbackStack stack, ConnectionHandler handler, int localPort, int remotePort) {
        this.stack = stack;
        this.handler = handler;
        this.localPort = localPort;
        this.remotePort = remotePort;
    }

    private boolean usable(String call) {
        if (!stack.inEventLoop()) {
            stack.fail(call + " off the event loop");
        }
        if (gone && !(call.equals("read") && endedCleanly)) {
            stack.fail(call + " after onClosed");
            return false;
        }
        return true;
    }

    @Override
    public ByteBuf read(int maxBytes) {
        if (!usable("read") || inputDropped) {
            return null;
        }
        if (maxBytes <= 0) {
            stack.fail("read(" + maxBytes + ")");
        }
        int n = Math.min(maxBytes, received.readableBytes());
        if (n <= 0) {
            return null;
        }
        ByteBuf out = stack.allocator.buffer(n);
        out.writeBytes(received, n);
        received.discardSomeReadBytes();
        stack.schedulePump(); // the window opened (or the last byte before FIN was read)
        return out;
    }

    @Override
    public int readableBytes() {
        return received.readableBytes();
    }

    @Override
    public boolean isInputShutdown() {
        return (finReceived || gone) && !received.isReadable();
    }

    @Override
    public int write(ByteBuf data) {
        if (!usable("write")) {
            return 0;
        }
        if (finQueued) {
            stack.fail("write after shutdownOutput/close");
            return 0;
        }
        int offered = data.readableBytes();
        int n = Math.min(offered, writableBytes());
        sendBuffer.writeBytes(data, n);
        if (n < offered) {
            wantsWritable = true;
        }
        if (n > 0) {
            stack.schedulePump();
        }
        return n;
    }

    @Override
    public int writableBytes() {
        return stack.pipeCapacity - sendBuffer.readableBytes();
    }

    @Override
    public void shutdownOutput() {
        if (usable("shutdownOutput")) {
            queueFin("shutdownOutput");
        }
    }

    /** Like the stack (RFC 1122 §4.2.2.13): closing with unread input resets the connection. */
    @Override
    public void close() {
        if (!usable("close")) {
            return;
        }
        if (received.isReadable()) {
            abort();
            return;
        }
        if (!finQueued) {
            queueFin("close");
        }
        inputDropped = true;
    }

    private void queueFin(String call) {
        if (finQueued) {
            stack.fail(call + " after shutdownOutput/close");
        }
        finQueued = true;
        stack.schedulePump();
    }

    @Override
    public void abort() {
        if (!usable("abort")) {
            return;
        }
        end(ConnectionHandler.CloseReason.ABORTED);
        if (peer != null && !peer.gone) {
            PipeChannel p = peer;
            stack.execute(() -> p.end(ConnectionHandler.CloseReason.RESET));
        }
    }

    /** Moves what fits from our send buffer into the peer's receive buffer, then FIN when drained. */
    void transfer() {
        if (gone || peer == null || peer.gone) {
            return;
        }
        boolean peerReadable = false;
        boolean writable = false;
        int n = Math.min(sendBuffer.readableBytes(),
                peer.inputDropped ? Integer.MAX_VALUE : stack.pipeCapacity - peer.received.readableBytes());
        if (n > 0) {
            if (peer.inputDropped) {
                sendBuffer.skipBytes(n);
            } else {
                peer.received.writeBytes(sendBuffer, n);
                peerReadable = true;
            }
            sendBuffer.discardSomeReadBytes();
            writable = wantsWritable;
            wantsWritable = false;
        }
        if (finQueued && !finSent && !sendBuffer.isReadable()) {
            finSent = true;
            peer.finReceived = true;
            peerReadable = !peer.inputDropped;
        }
        if (peerReadable) {
            peer.handler.onReadable(peer);
        }
        if (writable && !gone) {
            handler.onWritable(this);
        }
        // Like the stack: the connection ends (TIME-WAIT / CLOSED) once both FINs are through, even if
        // an application has not read everything yet; that data stays readable after onClosed.
        if (finSent && peer.finSent && !gone && !peer.gone) {
            PipeChannel p = peer;
            end(ConnectionHandler.CloseReason.CLOSED);
            p.end(ConnectionHandler.CloseReason.CLOSED);
        }
    }

    void end(ConnectionHandler.CloseReason reason) {
        if (gone) {
            return;
        }
        gone = true;
        endedCleanly = reason == ConnectionHandler.CloseReason.CLOSED;
        if (!endedCleanly) {
            received.clear(); // RFC 9293 §3.10.7.4: on reset "all segment queues should be flushed"
        }
        stack.gone(this);
        handler.onClosed(this, reason);
    }

    /** Called by the stack when it stops (buffers may outlive onClosed for late reads). */
    void releaseBuffers() {
        if (!released) {
            released = true;
            received.release();
            sendBuffer.release();
        }
    }

    @Override
    public String state() {
        return gone ? "CLOSED" : finQueued ? (finReceived ? "LAST-ACK" : "FIN-WAIT-1")
                : finReceived ? "CLOSE-WAIT" : "ESTABLISHED";
    }

    @Override
    public int localAddress() {
        return LoopbackStack.ADDRESS;
    }

    @Override
    public int localPort() {
        return localPort;
    }

    @Override
    public int remoteAddress() {
        return LoopbackStack.ADDRESS;
    }

    @Override
    public int remotePort() {
        return remotePort;
    }
}
