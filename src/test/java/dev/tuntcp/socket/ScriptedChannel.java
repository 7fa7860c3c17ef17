package dev.tuntcp.socket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic in-memory {@link TcpChannel} for testing one {@link ConnectionHandler} without a
 * stack: the test plays the network (it delivers bytes and FIN, drains what the handler wrote, resets
 * or finishes the connection) and every callback runs synchronously on the test thread. The send
 * buffer has a fixed capacity so backpressure is real; reads can be capped to split data the way
 * segments would; as with the stack, data left unread at a clean end stays readable. Buffers handed to the handler come from the given allocator (so an instrumented one
 * shows what the handler still holds); the fake's own buffers do not. Contract breaches by the handler (calls after onClosed, writes after
 * shutdownOutput, a second shutdownOutput/close) are recorded in {@link #violations()}.
 */
public final class ScriptedChannel implements TcpChannel {
    private final ConnectionHandler handler;
    private final ByteBufAllocator allocator;
    private final int sendCapacity;
    private final ByteBuf received;
    private final ByteBuf sendBuffer;
    private final List<String> violations = new ArrayList<>();
    private int maxReadSize = Integer.MAX_VALUE;
    private boolean finReceived;
    private boolean wantsWritable;
    private boolean outputShutdown;
    private boolean appClosed;
    private boolean aborted;
    private boolean gone;
    private boolean endedCleanly;
    private int shutdownCalls;
    private int readCalls;
    private long bytesWritten;
    private String state = "ESTABLISHED";

    public ScriptedChannel(ConnectionHandler handler, int sendCapacity, ByteBufAllocator allocator) {
        this.handler = handler;
        this.allocator = allocator;
        this.sendCapacity = sendCapacity;
        // The fake's own buffers come from elsewhere, so `allocator` measures only what the handler holds.
        this.received = Unpooled.buffer(1024);
        this.sendBuffer = Unpooled.buffer(Math.min(sendCapacity, 1 << 16));
    }

    /** Each {@link #read} returns at most this many bytes, like a stack handing out one segment. */
    public ScriptedChannel maxReadSize(int bytes) {
        this.maxReadSize = bytes;
        return this;
    }

    public ScriptedChannel state(String state) {
        this.state = state;
        return this;
    }

    // ---- the network side, driven by the test ----

    public void open() {
        handler.onOpen(this);
    }

    public void receive(byte[] data) {
        receive(data, 0, data.length);
    }

    public void receive(byte[] data, int offset, int length) {
        if (finReceived) {
            throw new IllegalStateException("data after FIN");
        }
        received.writeBytes(data, offset, length);
        if (!gone) {
            handler.onReadable(this);
        }
    }

    public void receiveFin() {
        finReceived = true;
        if (!gone) {
            handler.onReadable(this);
        }
    }

    /**
     * Takes up to {@code max} bytes out of the send buffer (as if sent and acknowledged); if a
     * write had been short, tells the handler there is room again.
     */
    public byte[] drain(int max) {
        int n = Math.min(max, sendBuffer.readableBytes());
        byte[] out = new byte[n];
        sendBuffer.readBytes(out);
        sendBuffer.discardSomeReadBytes();
        if (n > 0 && wantsWritable && !gone) {
            wantsWritable = false;
            handler.onWritable(this);
        }
        return out;
    }

    /** The peer's RST: the connection is gone. */
    public void peerReset() {
        end(ConnectionHandler.CloseReason.RESET);
    }

    /** Both FINs exchanged and acknowledged (or whatever ended it). */
    public void end(ConnectionHandler.CloseReason reason) {
        if (!gone) {
            gone = true;
            endedCleanly = reason == ConnectionHandler.CloseReason.CLOSED;
            handler.onClosed(this, reason);
        }
    }

    /** Releases the fake's own buffers; call at the end of every test. */
    public void dispose() {
        end(ConnectionHandler.CloseReason.CLOSED);
        received.release();
        sendBuffer.release();
    }

    // ---- what the test inspects ----

    public List<String> violations() {
        return violations;
    }

    public boolean outputShutdown() {
        return outputShutdown;
    }

    public int shutdownCalls() {
        return shutdownCalls;
    }

    public boolean appClosed() {
        return appClosed;
    }

    public boolean aborted() {
        return aborted;
    }

    public boolean wantsWritable() {
        return wantsWritable;
    }

    public int pendingSend() {
        return sendBuffer.readableBytes();
    }

    public int readCalls() {
        return readCalls;
    }

    public long bytesWritten() {
        return bytesWritten;
    }

    // ---- TcpChannel, called by the handler ----

    private void check(String call) {
        if (gone && !(call.equals("read") && endedCleanly)) {
            violations.add(call + " after onClosed");
        }
    }

    @Override
    public ByteBuf read(int maxBytes) {
        check("read");
        readCalls++;
        if (maxBytes <= 0) {
            violations.add("read(" + maxBytes + ")");
        }
        if (appClosed || aborted) {
            return null;
        }
        int n = Math.min(Math.min(maxBytes, maxReadSize), received.readableBytes());
        if (n <= 0) {
            return null;
        }
        ByteBuf out = allocator.buffer(n);
        out.writeBytes(received, n);
        received.discardSomeReadBytes();
        return out;
    }

    @Override
    public int readableBytes() {
        return received.readableBytes();
    }

    @Override
    public boolean isInputShutdown() {
        return finReceived && !received.isReadable();
    }

    @Override
    public int write(ByteBuf data) {
        check("write");
        if (outputShutdown || aborted) {
            violations.add("write after shutdownOutput/close/abort");
            return 0;
        }
        int offered = data.readableBytes();
        int n = Math.min(offered, writableBytes());
        sendBuffer.writeBytes(data, n);
        bytesWritten += n;
        if (n < offered) {
            wantsWritable = true;
        }
        return n;
    }

    @Override
    public int writableBytes() {
        return sendCapacity - sendBuffer.readableBytes();
    }

    @Override
    public void shutdownOutput() {
        check("shutdownOutput");
        shutdownCalls++;
        if (outputShutdown) {
            violations.add("second shutdownOutput/close");
        }
        outputShutdown = true;
    }

    @Override
    public void close() {
        check("close");
        if (outputShutdown) {
            violations.add("close after shutdownOutput/close");
        }
        appClosed = true;
        outputShutdown = true;
    }

    @Override
    public void abort() {
        check("abort");
        aborted = true;
        gone = true;
        handler.onClosed(this, ConnectionHandler.CloseReason.ABORTED);
    }

    @Override
    public String state() {
        return state;
    }

    @Override
    public int localAddress() {
        return 0x0a0d0002; // 10.13.0.2
    }

    @Override
    public int localPort() {
        return 80;
    }

    @Override
    public int remoteAddress() {
        return 0x0a0d0001; // 10.13.0.1
    }

    @Override
    public int remotePort() {
        return 45678;
    }
}
