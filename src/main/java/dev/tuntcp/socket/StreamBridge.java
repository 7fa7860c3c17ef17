package dev.tuntcp.socket;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Joins one connection's non-blocking {@link TcpChannel} (event-loop side) to blocking streams
 * (application side) through two bounded rings, so application threads never touch stack state
 * (DESIGN §1): they copy into or out of a ring while holding this bridge's monitor and post a task
 * to the loop; the loop moves bytes between the rings and the channel and wakes blocked threads.
 *
 * <p>Backpressure both ways: when the inbound ring is full the loop stops reading, so TCP's receive
 * window closes; when the outbound ring is full, {@code write} blocks until the loop has handed bytes
 * to the channel. The loop calls exactly one of {@link TcpChannel#shutdownOutput} or
 * {@link TcpChannel#close} (or {@link TcpChannel#abort}), once.
 *
 * <p>Methods are grouped by thread: the {@link ConnectionHandler} callbacks and {@code loop*}
 * methods run on the event loop; {@code app*} methods on application threads. The monitor is never
 * held while posting to the loop; the loop holds it only for short copies (including the copy inside
 * {@link TcpChannel#write}).
 */
final class StreamBridge implements ConnectionHandler {
    private static final int DISCARD_CHUNK = 64 * 1024;

    private final SocketStack stack;
    private final Consumer<StreamBridge> onEstablished;

    // Guarded by this.
    private final ByteRing inbound;
    private final ByteRing outbound;
    private boolean open;
    private CloseReason closedReason;
    private boolean inputEnded;
    private boolean readPaused;
    private boolean flushPending;
    private boolean outputShutdown;
    private boolean appClosed;
    private boolean aborted;

    // Written on the loop before `open` is signalled; read by the application after it.
    private volatile int localAddress;
    private volatile int localPort;
    private volatile int remoteAddress;
    private volatile int remotePort;

    // Event-loop thread only.
    private TcpChannel channel;
    private boolean channelGone;
    private boolean finSent;
    private boolean inputDropped;

    /**
     * @param onEstablished called on the loop once the connection is open (a server's accept queue),
     *     or null
     */
    StreamBridge(SocketStack stack, SocketOptions options, Consumer<StreamBridge> onEstablished) {
        this.stack = stack;
        this.onEstablished = onEstablished;
        this.inbound = new ByteRing(options.receiveBufferSize());
        this.outbound = new ByteRing(options.sendBufferSize());
    }

    // ---------------------------------------------------------------- event-loop side

    @Override
    public void onOpen(TcpChannel ch) {
        channel = ch;
        localAddress = ch.localAddress();
        localPort = ch.localPort();
        remoteAddress = ch.remoteAddress();
        remotePort = ch.remotePort();
        boolean abandoned;
        synchronized (this) {
            open = true;
            abandoned = appClosed;
            notifyAll();
        }
        if (abandoned) {
            // The application gave up (connect timeout, server closed) before the handshake ended.
            loopAbort();
            return;
        }
        if (onEstablished != null) {
            onEstablished.accept(this);
        }
        loopPullInput();
    }

    @Override
    public void onReadable(TcpChannel ch) {
        loopPullInput();
    }

    @Override
    public void onWritable(TcpChannel ch) {
        loopFlush();
    }

    @Override
    public void onClosed(TcpChannel ch, CloseReason reason) {
        channelGone = true;
        synchronized (this) {
            closedReason = reason;
            notifyAll();
        }
    }

    /** Resets the connection from the loop (e.g. the accept queue is full). */
    void loopReject() {
        synchronized (this) {
            appClosed = true;
            aborted = true;
            notifyAll();
        }
        loopAbort();
    }

    private void loopAbort() {
        if (channel != null && !channelGone) {
            channelGone = true;
            channel.abort();
        }
    }

    /** Moves received bytes into the inbound ring until it is full or the channel is empty. */
    private void loopPullInput() {
        while (channel != null && !channelGone && !inputDropped) {
            int room;
            boolean discard;
            synchronized (this) {
                discard = appClosed;
                room = discard ? DISCARD_CHUNK : inbound.free();
                readPaused = room == 0;
            }
            if (room == 0) {
                return; // appRead resumes us once the application has made room
            }
            ByteBuf data = channel.read(room);
            if (data == null) {
                if (channel.isInputShutdown()) {
                    synchronized (this) {
                        inputEnded = true;
                        notifyAll();
                    }
                }
                return;
            }
            try {
                if (!discard) {
                    synchronized (this) {
                        inbound.writeFrom(data);
                        notifyAll();
                    }
                }
            } finally {
                data.release();
            }
        }
    }

    /** Hands the outbound ring to the channel; sends FIN once it is empty after a shutdown or close. */
    private void loopFlush() {
        if (channel == null || channelGone) {
            return;
        }
        boolean sendFin;
        boolean fullClose;
        synchronized (this) {
            if (outbound.drainTo(channel) > 0) {
                notifyAll();
            }
            // Still pending while bytes wait for onWritable, so writers need not post again.
            flushPending = outbound.readable() > 0;
            // An abort posted behind this flush must not be preceded by a FIN.
            sendFin = outputShutdown && !flushPending && !finSent && !aborted;
            fullClose = appClosed;
        }
        if (sendFin) {
            finSent = true;
            if (fullClose) {
                inputDropped = true; // close() drops further input in the stack itself
                channel.close();
            } else {
                channel.shutdownOutput();
            }
        }
    }

    private void loopAfterAppClose() {
        loopFlush();
        loopPullInput(); // after an earlier half-close the input is read and dropped until the FIN
    }

    // ---------------------------------------------------------------- application side

    void post(Runnable task) throws SocketException {
        TcpSocket.post(stack, task);
    }

    /** Waits for the handshake; on timeout or interrupt aborts the attempt. */
    void appAwaitOpen(int timeoutMillis) throws IOException {
        IOException givingUp = null;
        synchronized (this) {
            long deadline = deadline(timeoutMillis);
            try {
                while (!open) {
                    if (closedReason != null) {
                        throw SocketErrors.connectFailure(closedReason);
                    }
                    if (appClosed) {
                        throw new SocketException("Socket closed");
                    }
                    if (!await(timeoutMillis, deadline)) {
                        givingUp = new SocketTimeoutException("Connect timed out");
                        break;
                    }
                }
            } catch (InterruptedIOException e) {
                givingUp = e;
            }
        }
        if (givingUp != null) {
            appAbort();
            throw givingUp;
        }
    }

    /** SO_TIMEOUT semantics: blocks up to {@code timeoutMillis} (0: forever) for data or EOF. */
    int appRead(byte[] b, int off, int len, int timeoutMillis) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n;
        boolean resume = false;
        synchronized (this) {
            long deadline = deadline(timeoutMillis);
            while (true) {
                if (appClosed) {
                    throw new SocketException("Socket closed");
                }
                if (inbound.readable() > 0) {
                    n = inbound.read(b, off, len);
                    // In the spirit of receiver SWS avoidance (RFC 9293 §3.8.6.2.2): resume reading,
                    // and so reopen the window, only once half the ring is free.
                    if (readPaused && inbound.free() >= inbound.capacity() / 2) {
                        readPaused = false;
                        resume = true;
                    }
                    break;
                }
                if (inputEnded) {
                    return -1;
                }
                if (closedReason != null) {
                    return SocketErrors.endOfStreamOrThrow(closedReason);
                }
                if (!await(timeoutMillis, deadline)) {
                    throw new SocketTimeoutException("Read timed out");
                }
            }
        }
        if (resume) {
            post(this::loopPullInput);
        }
        return n;
    }

    synchronized int appAvailable() {
        return appClosed ? 0 : inbound.readable();
    }

    /** Blocks while the outbound ring is full; no timeout, like a kernel socket's write. */
    void appWrite(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            boolean postFlush = false;
            synchronized (this) {
                while (true) {
                    if (appClosed) {
                        throw new SocketException("Socket closed");
                    }
                    if (outputShutdown) {
                        throw new SocketException("Socket output is shutdown");
                    }
                    if (closedReason != null) {
                        throw SocketErrors.writeFailure(closedReason);
                    }
                    if (outbound.free() > 0) {
                        break;
                    }
                    await(0, 0);
                }
                int n = outbound.write(b, off, len);
                off += n;
                len -= n;
                if (!flushPending) {
                    flushPending = true;
                    postFlush = true;
                }
            }
            if (postFlush) {
                post(this::loopFlush);
            }
        }
    }

    /** Half-close: FIN follows the bytes already written; reading goes on. */
    void appShutdownOutput() throws IOException {
        boolean postFlush = false;
        synchronized (this) {
            if (appClosed) {
                throw new SocketException("Socket closed");
            }
            if (outputShutdown) {
                return;
            }
            outputShutdown = true;
            if (!flushPending) {
                flushPending = true;
                postFlush = true;
            }
        }
        if (postFlush) {
            post(this::loopFlush);
        }
    }

    /** Graceful close: written bytes are still sent, then FIN; unread and later input is dropped. */
    void appClose() {
        synchronized (this) {
            if (appClosed) {
                return;
            }
            appClosed = true;
            outputShutdown = true;
            inbound.clear();
            notifyAll();
        }
        postQuietly(this::loopAfterAppClose);
    }

    /** RST now (RFC 9293 §3.10.5 ABORT): buffered bytes both ways are dropped. */
    void appAbort() {
        synchronized (this) {
            if (aborted) {
                return;
            }
            aborted = true;
            appClosed = true;
            outputShutdown = true;
            inbound.clear();
            outbound.clear();
            notifyAll();
        }
        postQuietly(this::loopAbort);
    }

    private void postQuietly(Runnable task) {
        try {
            post(task);
        } catch (SocketException stackStopped) {
            // The stack is gone, and the connection with it.
        }
    }

    synchronized boolean appIsClosed() {
        return appClosed;
    }

    synchronized boolean appIsOutputShutdown() {
        return outputShutdown;
    }

    int localAddress() {
        return localAddress;
    }

    int localPort() {
        return localPort;
    }

    int remoteAddress() {
        return remoteAddress;
    }

    int remotePort() {
        return remotePort;
    }

    private static long deadline(int timeoutMillis) {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    /** Waits on the monitor (held); false once the deadline has passed (timeout 0: none). */
    private boolean await(int timeoutMillis, long deadline) throws InterruptedIOException {
        try {
            if (timeoutMillis == 0) {
                wait();
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }
}
