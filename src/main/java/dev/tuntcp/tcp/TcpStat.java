package dev.tuntcp.tcp;

/** Events TCP counts (the MIB of RFC 4022 in spirit), next to the drop reasons of {@link TcpDrop}. */
public enum TcpStat {
    SEGMENTS_IN,
    SEGMENTS_OUT,
    /** Segments sent again: by the retransmission timer (SYN, SYN/ACK, data, FIN, window probes) or by loss recovery. */
    RETRANSMITS,
    RETRANSMIT_TIMEOUTS,
    /** Super-segments of several MSS sent for the link to segment (TSO, {@link SegmentationOffload}). */
    SUPER_SEGMENTS_OUT,
    RESETS_SENT,
    RESETS_RECEIVED,
    CHALLENGE_ACKS,
    ACTIVE_OPENS,
    PASSIVE_OPENS,
    /** RFC 4022 tcpAttemptFails: SYN-SENT or SYN-RECEIVED → CLOSED (or SYN-RECEIVED → LISTEN). */
    ATTEMPT_FAILS,
    /** RFC 4022 tcpEstabResets: ESTABLISHED or CLOSE-WAIT → CLOSED (a reset or an abort). */
    ESTAB_RESETS,
    ESTABLISHED,
    /** Connections closed by exhausting retransmissions. */
    TIMED_OUT,
    /** A new SYN that reopened a connection in TIME-WAIT (RFC 6191 / RFC 1122 §4.2.2.13). */
    TIME_WAIT_REOPENED,
    /** A SYN/ACK sent again because the peer repeated its SYN. */
    SYN_ACK_REPEATED,
    /** Out-of-order segments whose new octets were held in the out-of-order queue. */
    OUT_OF_ORDER_QUEUED,
    /** Segments (or parts) received twice, reported in a D-SACK block (RFC 2883). */
    DUPLICATE_SEGMENTS,
    /** ACKs sent by the delayed-ACK timer (RFC 9293 §3.8.6.3). */
    DELAYED_ACKS,
    /** Receive buffers grown by autotuning ({@link ReceiveAutotune}). */
    RECEIVE_BUFFER_GROWN,
    /** A challenge ACK not sent: the layer's budget for this second was spent (RFC 5961 §7). */
    CHALLENGE_ACKS_LIMITED,
    /** A SYN answered with a SYN cookie because the listener's half-open queue was full (RFC 4987 §3.6). */
    SYNCOOKIES_SENT,
    /** An ACK that carried a valid SYN cookie and created a connection. */
    SYNCOOKIES_RECV,
    /** An ACK to a listener that recently sent cookies whose cookie did not check out (answered with RST). */
    SYNCOOKIES_FAILED,
    /** A SYN found its listener's half-open queue full (answered with a cookie, or dropped). */
    LISTEN_OVERFLOWS,
    /**
     * A handshake completed but the application's accept queue (its backlog) was full: the new
     * connection was reset, the ones already queued untouched.
     */
    ACCEPT_QUEUE_OVERFLOWS,
    // --- send side: persist, SWS override, keep-alive, linger (RFC 9293 §3.8.6, RFC 1122 §4.2.3.6) ---
    /** Zero-window probes sent by the persist timer. */
    ZERO_WINDOW_PROBES,
    /** Connections aborted because zero-window probes went unanswered (not for a shut window alone). */
    PERSIST_TIMEOUTS,
    /** Small segments sent by the SWS override timeout (RFC 9293 §3.8.6.2.1 rule 4). */
    SWS_OVERRIDES,
    KEEPALIVE_PROBES,
    /** Connections aborted because keep-alive probes went unanswered. */
    KEEPALIVE_TIMEOUTS,
    /** close() turned into ABORT by SO_LINGER {on, 0}. */
    LINGER_ABORTS,
    /** Losses repaired by fast retransmit (RFC 5681 §3.2 / RFC 6675 §5): one per recovery entered. */
    FAST_RETRANSMITS,
    /** Of those, recoveries driven by the SACK scoreboard (RFC 6675). */
    SACK_RECOVERIES,
    /** NewReno partial acknowledgments, each answered by a retransmission (RFC 6582 §3.2 step 3). */
    PARTIAL_ACKS,
    /** New segments sent beyond cwnd on the first two duplicate ACKs (RFC 3042 limited transmit). */
    LIMITED_TRANSMITS,
    /** D-SACK blocks received (RFC 2883): the peer got an octet twice — a spurious retransmission or a duplicated packet. */
    DSACKS_RECEIVED,
    /** Timeouts found spurious: the first ACK after it came too soon to answer the retransmission. */
    SPURIOUS_RTOS,
    // --- RACK-TLP (RFC 8985) and spurious-retransmission undo (RFC 2883 §4, RFC 3522, RFC 4015) ---
    /** Segments RACK marked lost: a segment sent later was delivered and the reordering window passed. */
    RACK_LOSSES,
    /** Of those, retransmissions that were lost again, found without waiting for the RTO. */
    LOST_RETRANSMITS,
    /** Times RACK's reordering timer expired (losses found by time alone, with no ACK arriving). */
    RACK_REORDER_TIMEOUTS,
    /** Tail loss probes sent (RFC 8985 §7.3). */
    TLP_PROBES,
    /** Probes that were retransmissions and repaired a loss (§7.4): cwnd reduced as for a fast retransmit. */
    TLP_RECOVERIES,
    /** Congestion-window reductions undone because the retransmissions were spurious (D-SACK or Eifel). */
    SPURIOUS_UNDOS,
    /**
     * A retransmission timeout or loss probe that expired while the connection's latest packet still
     * waited in the host's transmit queue (a TUN writer thread's ring): re-armed, not fired ({@link TransmitQueue}).
     */
    TIMERS_HELD_BY_HOST_QUEUE,
    // --- ICMP errors about our segments (RFC 9293 §3.9.2.2, RFC 1191, RFC 5927) -----------------
    /** ICMP errors that quoted one of our TCP segments. */
    ICMP_ERRORS_IN,
    /** Fragmentation-needed messages that lowered a connection's MSS (path MTU discovery, RFC 1191). */
    PATH_MTU_REDUCTIONS,
    /** Active opens ended by protocol or port unreachable (reported as refused). */
    ICMP_HARD_ERROR_ABORTS,
    /** ICMP errors kept as a connection's soft error (RFC 1122 §4.2.3.9: the connection goes on). */
    ICMP_SOFT_ERRORS
}
