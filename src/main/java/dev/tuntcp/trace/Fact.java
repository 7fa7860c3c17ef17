package dev.tuntcp.trace;

/**
 * The fact of TCP's opening or closing that a segment (or timer) demonstrates (DESIGN §6), as the
 * {@link Explainer} classifies it.
 */
public enum Fact {
    /** The active opener's SYN: it picks an ISN; a SYN consumes one sequence number. */
    SYN,
    /** The same SYN again (no SYN/ACK in time). */
    SYN_RETRANSMIT,
    /** A SYN crossing the other side's SYN (simultaneous open, RFC 9293 §3.5 Figure 8). */
    SIMULTANEOUS_OPEN,
    /** The server acks ISN+1 and sends its own ISN: each side's ISN must be acknowledged. */
    SYN_ACK,
    /** The SYN/ACK again: the final ACK did not arrive. */
    SYN_ACK_RETRANSMIT,
    /** A SYN/ACK that does not acknowledge the receiver's ISN + 1: an old duplicate. */
    STALE_SYN_ACK,
    /** The handshake's third segment: only it confirms the server's ISN. */
    HANDSHAKE_ACK,
    /** Data. */
    DATA,
    /** Data sent after the other side's FIN (half-close). */
    DATA_AFTER_FIN,
    /** A bare ACK of data. */
    ACK,
    /** The first FIN: one direction closes; the FIN consumes one sequence number. */
    FIN,
    /** The ACK of the first FIN (ack = FIN seq + 1), sent on its own: the other direction stays open. */
    ACK_OF_FIN,
    /** The second FIN, its side having acknowledged the first FIN separately (four-way teardown). */
    FIN_SECOND,
    /** The second FIN carrying the ACK of the first (three-segment teardown). */
    FIN_ACK_COMBINED,
    /** A FIN crossing the other side's FIN (simultaneous close, CLOSING). */
    SIMULTANEOUS_CLOSE,
    /** The ACK of the last FIN: the active closer enters TIME-WAIT. */
    LAST_ACK,
    /** A FIN sent again (its ACK was lost). */
    FIN_RETRANSMIT,
    /** TIME-WAIT acknowledging a retransmitted FIN. */
    TIME_WAIT_REACK,
    /** RST answering a SYN to a port where nothing listens (RFC 9293 §3.10.7.1). */
    RST_CLOSED_PORT,
    /** RST refusing a SYN/ACK that belongs to an old duplicate SYN (why the handshake has three steps). */
    RST_OLD_DUPLICATE,
    /** RST answering a segment that belongs to no connection. */
    RST_NO_CONNECTION,
    /** RST aborting an open connection. */
    RST_ABORT,
    /** TIME-WAIT's 2×MSL timer expired. */
    TIME_WAIT_EXPIRED,
    /** The retransmission timer expired. */
    RETRANSMIT_TIMEOUT,
    /** Anything else (window update, duplicate ACK, keep-alive, …). */
    OTHER
}
