package dev.tuntcp.socket;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.BindException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A blocking listener on the user-space stack, shaped like {@link java.net.ServerSocket}. Each
 * connection that completes the handshake is queued (at most {@link SocketOptions#backlog()}; beyond
 * that the new connection is reset) until {@link #accept} takes it; queued connections already
 * receive data into their buffers, as with a kernel's accept queue.
 *
 * <p>Must not be used from the event-loop thread ({@link IllegalStateException}).
 */
public final class TcpServerSocket implements Closeable {
    private final SocketStack stack;
    private final SocketOptions options;
    private final ArrayDeque<StreamBridge> acceptQueue = new ArrayDeque<>();
    private boolean closed; // guarded by this
    private volatile int soTimeoutMillis;
    private SocketStack.Listening listening;
    private int port;

    private TcpServerSocket(SocketStack stack, SocketOptions options) {
        this.stack = stack;
        this.options = options;
        this.soTimeoutMillis = options.soTimeoutMillis();
    }

    /**
     * Listens on {@code port} of the stack's address (0: any free port, see {@link #localPort()}).
     *
     * @throws BindException when the port is already listened on
     */
    public static TcpServerSocket bind(SocketStack stack, int port, SocketOptions options) throws IOException {
        TcpSocket.requirePort(port, 0);
        TcpSocket.requireNotEventLoop(stack);
        TcpServerSocket server = new TcpServerSocket(stack, options);
        CompletableFuture<SocketStack.Listening> result = new CompletableFuture<>();
        TcpSocket.post(stack, () -> {
            try {
                result.complete(stack.listen(port, server::newConnection));
            } catch (BindException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        try {
            server.listening = result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while binding");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BindException) {
                throw (BindException) e.getCause();
            }
            throw new IOException("listen on port " + port + " failed", e.getCause());
        }
        server.port = server.listening.port();
        return server;
    }

    /** Runs on the loop for each connection the listener takes in. */
    private StreamBridge newConnection() {
        return new StreamBridge(stack, options, this::established);
    }

    /** Loop thread: the handshake completed. */
    private void established(StreamBridge bridge) {
        boolean serverClosed;
        boolean queueFull;
        synchronized (this) {
            serverClosed = closed;
            queueFull = !closed && acceptQueue.size() >= options.backlog();
            if (!serverClosed && !queueFull) {
                acceptQueue.add(bridge);
                notifyAll();
            }
        }
        if (serverClosed) {
            bridge.reject(); // nobody will accept it any more: RST
        } else if (queueFull) {
            bridge.rejectAcceptQueueFull(); // the application is not keeping up: RST, counted
        }
    }

    /**
     * Waits for the next established connection, up to SO_TIMEOUT.
     *
     * @throws SocketTimeoutException when SO_TIMEOUT passed (the server socket stays usable)
     * @throws SocketException when the server socket is (or gets) closed
     */
    public TcpSocket accept() throws IOException {
        TcpSocket.requireNotEventLoop(stack);
        int timeout = soTimeoutMillis;
        StreamBridge bridge;
        synchronized (this) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
            while (acceptQueue.isEmpty()) {
                if (closed) {
                    throw new SocketException("Socket closed");
                }
                try {
                    if (timeout == 0) {
                        wait();
                    } else {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            throw new SocketTimeoutException("Accept timed out");
                        }
                        TimeUnit.NANOSECONDS.timedWait(this, left);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while accepting");
                }
            }
            bridge = acceptQueue.poll();
        }
        return new TcpSocket(bridge.streams(), options);
    }

    public void setSoTimeout(int millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("timeout must be >= 0");
        }
        soTimeoutMillis = millis;
    }

    public int getSoTimeout() {
        return soTimeoutMillis;
    }

    public int localPort() {
        return port;
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Stops listening (later SYNs are refused) and resets the connections nobody accepted yet;
     * accepted sockets are not affected. Wakes a blocked {@link #accept}. Idempotent.
     */
    @Override
    public void close() {
        List<StreamBridge> unaccepted;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            unaccepted = new ArrayList<>(acceptQueue);
            acceptQueue.clear();
            notifyAll();
        }
        SocketStack.Listening l = listening;
        try {
            TcpSocket.post(stack, l::close);
        } catch (SocketException stackStopped) {
            // Nothing is listening any more.
        }
        for (StreamBridge bridge : unaccepted) {
            bridge.streams().abort();
        }
    }
}
