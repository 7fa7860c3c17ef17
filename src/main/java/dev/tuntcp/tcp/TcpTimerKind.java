package dev.tuntcp.tcp;

/** The per-connection timers, as reported to a {@link TcpTraceListener}. */
public enum TcpTimerKind {
    /** Retransmission of SYN, SYN/ACK, data or FIN (RFC 9293 §3.8.1). */
    RETRANSMIT,
    /** Probes a zero window, or sends what a too-small window allows (RFC 9293 §3.8.6.1, §3.8.6.2.1). */
    PERSIST,
    /** Keep-alive probe or give-up (RFC 1122 §4.2.3.6); only when the application turned it on. */
    KEEPALIVE,
    /** TIME-WAIT has lasted 2×MSL (RFC 9293 §3.3.2): the connection is deleted. */
    TIME_WAIT,
    /**
     * A connection the application has fully closed has sat in FIN-WAIT-2 too long without the peer's
     * FIN (an orphan; Linux's {@code tcp_fin_timeout}). RFC 9293 has no such timer; without it an
     * absent peer would pin the connection forever.
     */
    FIN_WAIT_2,
    /** RACK's reordering timer: a segment's reordering window has passed (RFC 8985 §6.2 step 5). */
    RACK_REORDER,
    /** The tail loss probe timeout (PTO) expired: a probe goes out (RFC 8985 §7.3). */
    LOSS_PROBE
}
