package dev.tuntcp.socket;

/**
 * Callbacks from the stack to an application for one connection. All run on the event-loop thread;
 * a handler must not block.
 */
public interface ConnectionHandler {

    /** The connection is established (passive: after the handshake's final ACK; active: SYN/ACK). */
    void onOpen(TcpChannel channel);

    /** New data, or the peer's FIN, can be read from {@code channel}. */
    void onReadable(TcpChannel channel);

    /** Room has freed in the send buffer after a {@link TcpChannel#write} took less than offered. */
    void onWritable(TcpChannel channel);

    /**
     * The connection is gone: closed cleanly, reset by the peer, refused, or timed out. No callback
     * follows this one.
     */
    void onClosed(TcpChannel channel, CloseReason reason);

    /** Why a connection ended. */
    enum CloseReason {
        /** Both FINs exchanged and acknowledged. */
        CLOSED,
        /** The peer sent RST (RFC 9293 §3.10.7.4, "connection reset"). */
        RESET,
        /** An active open answered with RST ("connection refused"). */
        REFUSED,
        /** Retransmissions exhausted or the connect timed out. */
        TIMED_OUT,
        /** The application aborted the connection (RST sent). */
        ABORTED
    }
}
