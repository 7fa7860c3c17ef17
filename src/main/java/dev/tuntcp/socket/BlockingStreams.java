package dev.tuntcp.socket;

import dev.tuntcp.socket.ConnectionHandler.CloseReason;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * The half of a {@link StreamBridge} that application threads use: two bounded rings and the
 * connection's state as the application sees it, all guarded by this object's monitor. Application
 * threads block here and copy bytes in or out; they reach the event loop only by posting the
 * bridge's pump or abort task (DESIGN §1). The loop calls the {@code loop*} methods, each a short
 * critical section.
 */
final class BlockingStreams {
    private static final int DISCARD_CHUNK = 64 * 1024;

    /** What the loop must do after a flush. */
    enum Fin { NONE, SHUTDOWN_OUTPUT, CLOSE }

    private final SocketStack stack;
    private final Runnable pumpTask;
    private final Runnable abortTask;

    // Guarded by this.
    private final ByteRing inbound;
    private final ByteRing outbound;
    private boolean open;
    private CloseReason closedReason;
    /** The channel's last ICMP soft error when it closed ({@link TcpChannel#softError()}), or null. */
    private String closedSoftError;
    private RuntimeException startFailure;
    private boolean inputEnded;
    private boolean readPaused;
    private boolean flushPending;
    private boolean outputShutdown;
    private boolean appClosed;
    private boolean aborted;

    // Written on the loop before `open` is signalled; read by the application after it.
    volatile int localAddress;
    volatile int localPort;
    volatile int remoteAddress;
    volatile int remotePort;

    BlockingStreams(SocketStack stack, SocketOptions options, Runnable pumpTask, Runnable abortTask) {
        this.stack = stack;
        this.pumpTask = pumpTask;
        this.abortTask = abortTask;
        this.inbound = new ByteRing(options.receiveBufferSize());
        this.outbound = new ByteRing(options.sendBufferSize());
    }

    // ---------------------------------------------------------------- called on the event loop

    /** The handshake completed; returns true if the application has already given up. */
    synchronized boolean loopOpened() {
        open = true;
        notifyAll();
        return appClosed;
    }

    synchronized void loopClosed(CloseReason reason, String softError) {
        closedReason = reason;
        closedSoftError = softError;
        notifyAll();
    }

    synchronized void loopStartFailed(RuntimeException why) {
        startFailure = why;
        notifyAll();
    }

    /** The loop resets the connection itself (e.g. a full accept queue). */
    synchronized void loopRejected() {
        appClosed = true;
        aborted = true;
        notifyAll();
    }

    /**
     * How much the loop may read now; 0 pauses reading until the application makes room. After the
     * application's close, input is left to the stack's close() (which resets the connection if
     * unread data is pending, RFC 1122 §4.2.2.13), unless our FIN went out earlier with
     * shutdownOutput: then it is read and dropped until the peer's FIN.
     */
    synchronized int loopInputRoom(boolean finSent) {
        if (appClosed) {
            return finSent ? DISCARD_CHUNK : 0;
        }
        int room = inbound.free();
        readPaused = room == 0;
        return room;
    }

    /** Copies {@code data} in (it fits: at most {@link #loopInputRoom()}); dropped once closed. */
    synchronized void loopDeliver(ByteBuf data) {
        if (!appClosed) {
            inbound.writeFrom(data);
            notifyAll();
        }
    }

    synchronized void loopInputEnded() {
        inputEnded = true;
        notifyAll();
    }

    /**
     * Offers the outbound ring to {@code channel} and says whether the FIN is due: once the ring is
     * empty after a shutdown or close (never when an abort is on its way behind this flush).
     *
     * <p>The channel's copy runs without the monitor (a stack may send segments, even write to the
     * TUN device, inside {@link TcpChannel#write}), so writers are not held up meanwhile. That is
     * safe because writers only fill the ring's free part, never the readable part being offered;
     * a {@code clear()} by close or abort in between is detected by the ring's generation.
     */
    Fin loopFlush(TcpChannel channel, boolean finSent) {
        while (true) {
            int start;
            int length;
            long generation;
            synchronized (this) {
                length = outbound.firstSegment();
                if (length == 0) {
                    // Decided together with seeing the ring empty, so a writer that comes next
                    // finds flushPending false and posts a new flush.
                    flushPending = false;
                    if (!outputShutdown || finSent || aborted) {
                        return Fin.NONE;
                    }
                    return appClosed ? Fin.CLOSE : Fin.SHUTDOWN_OUTPUT;
                }
                start = outbound.head();
                generation = outbound.generation();
            }
            int taken = channel.write(outbound.view(start, length));
            synchronized (this) {
                if (generation == outbound.generation()) {
                    outbound.consume(taken);
                }
                notifyAll();
                if (taken < length) {
                    // The channel is full and calls onWritable once room frees; until then writers
                    // need not post.
                    flushPending = true;
                    return Fin.NONE;
                }
            }
        }
    }

    // ---------------------------------------------------------------- called by application threads

    /** Waits for the handshake; on timeout or interrupt aborts the attempt. */
    void awaitOpen(int timeoutMillis) throws IOException {
        IOException givingUp = null;
        synchronized (this) {
            long deadline = deadline(timeoutMillis);
            try {
                while (!open) {
                    if (closedReason != null) {
                        throw SocketErrors.connectFailure(closedReason, closedSoftError);
                    }
                    if (startFailure != null) {
                        throw new SocketException("connect failed: " + startFailure.getMessage());
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
            abort();
            throw givingUp;
        }
    }

    /** SO_TIMEOUT semantics: blocks up to {@code timeoutMillis} (0: forever) for data or EOF. */
    int read(byte[] b, int off, int len, int timeoutMillis) throws IOException {
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
                // A reset is reported even after EOF was seen (as a kernel reports a pending error).
                if (closedReason != null && closedReason != CloseReason.CLOSED) {
                    return SocketErrors.endOfStreamOrThrow(closedReason);
                }
                if (inputEnded) {
                    return -1;
                }
                if (!await(timeoutMillis, deadline)) {
                    throw new SocketTimeoutException("Read timed out");
                }
            }
        }
        if (resume) {
            post(pumpTask);
        }
        return n;
    }

    synchronized int available() {
        return appClosed ? 0 : inbound.readable();
    }

    /** Blocks while the outbound ring is full; no timeout, like a kernel socket's write. */
    void write(byte[] b, int off, int len) throws IOException {
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
                postFlush = !flushPending;
                flushPending = true;
            }
            if (postFlush) {
                post(pumpTask);
            }
        }
    }

    /** Half-close: FIN follows the bytes already written; reading goes on. */
    void shutdownOutput() throws IOException {
        boolean postFlush;
        synchronized (this) {
            if (appClosed) {
                throw new SocketException("Socket closed");
            }
            if (outputShutdown) {
                return;
            }
            outputShutdown = true;
            postFlush = !flushPending;
            flushPending = true;
        }
        if (postFlush) {
            post(pumpTask);
        }
    }

    /**
     * Close: written bytes are still sent, then FIN. Input the application never read means data was
     * lost, which RFC 1122 §4.2.2.13 says to show with a reset (as Linux does): unread bytes here
     * abort the connection, and the stack's close() does the same for bytes it still holds.
     */
    void close() {
        boolean unread;
        synchronized (this) {
            if (appClosed) {
                return;
            }
            unread = inbound.readable() > 0;
            if (!unread) {
                appClosed = true;
                outputShutdown = true;
                notifyAll();
            }
        }
        if (unread) {
            abort();
        } else {
            postQuietly(pumpTask); // flush, then FIN (or RST if the stack holds unread input)
        }
    }

    /** RST now (RFC 9293 §3.10.5 ABORT): buffered bytes both ways are dropped. */
    void abort() {
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
        postQuietly(abortTask);
    }

    synchronized boolean isClosed() {
        return appClosed;
    }

    synchronized boolean isOutputShutdown() {
        return outputShutdown;
    }

    private void post(Runnable task) throws SocketException {
        TcpSocket.post(stack, task);
    }

    private void postQuietly(Runnable task) {
        try {
            post(task);
        } catch (SocketException stackStopped) {
            // The stack is gone, and the connection with it.
        }
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
