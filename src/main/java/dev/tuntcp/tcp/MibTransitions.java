package dev.tuntcp.tcp;

/**
 * The RFC 4022 counters that are defined by state transitions rather than by segments, counted as
 * {@link TcpStat#ATTEMPT_FAILS} and {@link TcpStat#ESTAB_RESETS}. (tcpCurrEstab, the third one, is a
 * gauge: {@code stats} counts the connections in ESTABLISHED or CLOSE-WAIT when asked.)
 */
final class MibTransitions {
    private MibTransitions() {
    }

    /** Called by {@link Connection#setState} for every change of state. */
    static void count(TcpLayer layer, TcpState from, TcpState to) {
        if (to != TcpState.CLOSED && to != TcpState.LISTEN) {
            return;
        }
        switch (from) {
            // RFC 4022 tcpAttemptFails: "the number of times that TCP connections have made a direct
            // transition to the CLOSED state from either the SYN-SENT state or the SYN-RCVD state,
            // plus the number of times ... to the LISTEN state from the SYN-RCVD state".
            case SYN_SENT, SYN_RECEIVED -> layer.count(TcpStat.ATTEMPT_FAILS);
            // RFC 4022 tcpEstabResets: "direct transition to the CLOSED state from either the
            // ESTABLISHED state or the CLOSE-WAIT state".
            case ESTABLISHED, CLOSE_WAIT -> layer.count(TcpStat.ESTAB_RESETS);
            default -> {
            }
        }
    }
}
