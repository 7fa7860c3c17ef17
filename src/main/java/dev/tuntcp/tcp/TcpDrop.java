package dev.tuntcp.tcp;

/**
 * Why TCP dropped a segment (or the part of it named here), counted through
 * {@link dev.tuntcp.stack.Counters}. Each constant names the RFC 9293 rule that drops it.
 */
public enum TcpDrop {
    // --- TcpInput: before any connection is looked at -------------------------------------------
    /** The TCP checksum over pseudo-header, header and data is wrong (RFC 9293 §3.1). */
    BAD_CHECKSUM,
    /** The header or its options could not be parsed (data offset, option lengths). */
    MALFORMED,
    /** SYN with FIN or with RST: no state can act on it (the wire's TcpControl names which). */
    ILLEGAL_FLAGS,
    /** A broadcast, multicast or zero address, or port 0 (RFC 1122 §4.2.3.10). */
    BAD_ADDRESS,

    // --- §3.10.7.1 CLOSED: no connection and no listener ----------------------------------------
    /** An RST to a closed port is discarded. */
    CLOSED_RST,
    /** A segment to a closed port: discarded and answered with RST. */
    CLOSED_PORT,

    // --- §3.10.7.2 LISTEN -------------------------------------------------------------------------
    /** An RST to a listener is ignored. */
    LISTEN_RST,
    /** An ACK-bearing segment to a listener is answered with RST. */
    LISTEN_ACK,
    /** Neither SYN, ACK nor RST: "this should not be reached". */
    LISTEN_NO_SYN,
    /** The listener's bound on half-open connections (its backlog) is full: the SYN is dropped. */
    LISTEN_BACKLOG_FULL,
    /** A valid cookie ACK whose listener's accept side is gone or refuses: answered with RST. */
    SYNCOOKIE_REFUSED,
    /** Data carried on a SYN is not queued (the peer retransmits it once the handshake is done). */
    SYN_DATA_IGNORED,

    // --- §3.10.7.3 SYN-SENT ---------------------------------------------------------------------
    /** SEG.ACK =< ISS or SEG.ACK > SND.NXT: an old duplicate; answered with RST (unless it is one). */
    SYN_SENT_BAD_ACK,
    /** RST without an acceptable ACK is dropped. */
    SYN_SENT_RST_NO_ACK,
    /** Neither SYN nor RST. */
    SYN_SENT_NO_SYN,

    // --- §3.10.7.4 synchronized states ----------------------------------------------------------
    /**
     * RFC 7323 §5.3 R1 (PAWS): SEG.TSval older than TS.Recent, an old duplicate from a previous wrap
     * of the sequence space; answered with an ACK.
     */
    PAWS,
    /** RFC 7323 §3.2: a non-RST segment without the timestamps option once it was negotiated. */
    TIMESTAMP_MISSING,
    /** First step: the sequence-acceptability test failed; answered with an ACK. */
    SEQ_UNACCEPTABLE,
    /** First step: an RST outside the receive window is silently dropped. */
    RST_OUT_OF_WINDOW,
    /** Second step (RFC 5961 §3): an RST in the window but not at RCV.NXT; challenge ACK sent. */
    RST_CHALLENGED,
    /** Fourth step: a new SYN in SYN-RECEIVED of a passive open; the connection returns to LISTEN. */
    SYN_IN_SYN_RECEIVED,
    /** Fourth step (RFC 5961 §4): a SYN in a synchronized state; challenge ACK sent. */
    SYN_CHALLENGED,
    /** Fifth step: the ACK bit is off. */
    NO_ACK,
    /** Fifth step: SEG.ACK acknowledges something not yet sent; answered with an ACK. */
    ACK_UNSENT,
    /** Fifth step (RFC 5961 §5): SEG.ACK is older than SND.UNA - MAX.SND.WND; answered with an ACK. */
    ACK_TOO_OLD,
    /**
     * Fifth step: a SACK block (RFC 2018) that is empty or covers data never sent; the block is ignored,
     * the rest of the segment processed.
     */
    SACK_OUT_OF_WINDOW,
    /** Fifth step, SYN-RECEIVED: the ACK does not acknowledge our SYN; answered with RST. */
    SYN_RECEIVED_BAD_ACK,
    /** Fifth step, CLOSING: the segment does not acknowledge our FIN; its text or FIN is ignored. */
    CLOSING_NOT_FIN_ACK,
    /**
     * Seventh step: out-of-order data not held because the connection's bound
     * ({@link TcpConfig#outOfOrderLimit()}, or {@link OutOfOrderQueue#MAX_RUNS} separate runs) is
     * reached; it is ACKed (the peer sends it again) and what is held stays.
     */
    OUT_OF_ORDER,
    /** Out-of-order data not held: all connections together hold {@link TcpConfig#outOfOrderMemoryLimit()}. */
    OUT_OF_ORDER_MEMORY_LIMIT,
    /** Data that arrives while the receive window is zero. */
    ZERO_WINDOW,
    /** Data beyond the right edge of the receive window (the part inside is kept). */
    BEYOND_WINDOW,
    /** Seventh step: text after the peer's FIN is ignored. */
    DATA_AFTER_FIN,
    /**
     * Data after the application closed its input (RFC 1122 §4.2.2.13): the connection is reset so
     * the peer knows it was lost.
     */
    DATA_AFTER_CLOSE,

    // --- resource bounds (TcpConfig): the new connection is refused, existing ones are untouched --
    /** {@link TcpConfig#maxConnections()} reached: a SYN is dropped, a cookie ACK reset, a connect refused. */
    CONNECTION_LIMIT,
    /** {@link TcpConfig#receiveMemoryLimit()} would be exceeded by the new connection's receive buffer. */
    RECEIVE_MEMORY_LIMIT,
    /** {@link TcpConfig#sendMemoryLimit()} would be exceeded by the new connection's send buffer. */
    SEND_MEMORY_LIMIT,

    // --- application side ---------------------------------------------------------------------
    /** The listener's handler factory refused (returned null or threw): the connection is reset. */
    HANDLER_REFUSED,
    /** An application callback threw: that connection alone is aborted. */
    HANDLER_FAILED,

    // --- ICMP errors (RFC 5927) ---------------------------------------------------------------
    /** An ICMP error quoting a segment of no connection we have (or of a listener or TIME-WAIT). */
    ICMP_NO_CONNECTION,
    /** An ICMP error quoting a sequence number outside SND.UNA..SND.MAX (RFC 5927 §4.1): not believed. */
    ICMP_OUT_OF_WINDOW,
    /** A Too Big message whose MTU would not lower the MSS (stale or forged; RFC 1191 §6.3). */
    ICMP_TOO_BIG_IGNORED
}
