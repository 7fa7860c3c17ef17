package dev.tuntcp.socket;

import java.net.BindException;

/**
 * Exactly what the blocking socket API ({@link TcpSocket}, {@link TcpServerSocket}) needs from the
 * stack, so that the sockets can be built and tested against a fake while the real stack implements
 * this interface once (DESIGN §1: application threads never touch stack state; they post tasks to
 * the event loop and wait).
 *
 * <p>Threading: {@link #execute} and {@link #inEventLoop} may be called from any thread;
 * {@link #listen} and {@link #connect} only on the event-loop thread (from a task passed to
 * {@link #execute}), like every {@link TcpChannel} method. All {@link ConnectionHandler} callbacks
 * run on the event-loop thread.
 */
public interface SocketStack {

    /**
     * Runs {@code task} on the event-loop thread, after the tasks submitted before it; callable from
     * any thread and never blocks on the loop.
     *
     * @throws java.util.concurrent.RejectedExecutionException when the stack has shut down
     */
    void execute(Runnable task);

    /** True when the calling thread is the event loop (where blocking socket calls would deadlock). */
    boolean inEventLoop();

    /**
     * Passive OPEN (RFC 9293 §3.10.1) on {@code port} of the stack's address: for every connection
     * that completes the handshake, {@code factory.newHandler()} makes the handler whose
     * {@link ConnectionHandler#onOpen} is then called. Port 0 picks a free port, which
     * {@link Listening#port()} reports. Event-loop thread only.
     *
     * @throws BindException when something already listens on {@code port}
     */
    Listening listen(int port, ConnectionHandlerFactory factory) throws BindException;

    /**
     * Active OPEN (RFC 9293 §3.10.1) from the stack's address and a free local port to
     * {@code remoteAddress:remotePort} (IPv4 address as a big-endian int). Exactly one of
     * {@code handler.onOpen} (handshake done) or {@code handler.onClosed} (with
     * {@link ConnectionHandler.CloseReason#REFUSED} or {@link ConnectionHandler.CloseReason#TIMED_OUT})
     * follows, later, never from inside this call. Event-loop thread only.
     */
    void connect(int remoteAddress, int remotePort, ConnectionHandler handler);

    /** A port being listened on. */
    interface Listening {
        /** The local port, also when {@link #listen} was asked for port 0. */
        int port();

        /**
         * Stops accepting new connections on the port (new SYNs then get RST as for any closed port,
         * RFC 9293 §3.10.7.1); connections already handed to a handler are not affected. Idempotent.
         * Event-loop thread only.
         */
        void close();
    }
}
