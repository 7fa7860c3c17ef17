package dev.tuntcp.tcp;

/**
 * The eleven connection states of RFC 9293 §3.3.2 (Figure 5). {@link #rfcName()} gives the spelling
 * used in the RFC and in traces ({@code SYN-RECEIVED}).
 */
public enum TcpState {
    CLOSED("CLOSED"),
    LISTEN("LISTEN"),
    SYN_SENT("SYN-SENT"),
    SYN_RECEIVED("SYN-RECEIVED"),
    ESTABLISHED("ESTABLISHED"),
    FIN_WAIT_1("FIN-WAIT-1"),
    FIN_WAIT_2("FIN-WAIT-2"),
    CLOSE_WAIT("CLOSE-WAIT"),
    CLOSING("CLOSING"),
    LAST_ACK("LAST-ACK"),
    TIME_WAIT("TIME-WAIT");

    private final String rfcName;

    TcpState(String rfcName) {
        this.rfcName = rfcName;
    }

    /** The state's name as RFC 9293 spells it. */
    public String rfcName() {
        return rfcName;
    }

    /**
     * RFC 9293 §3.10.7.4 calls every state from SYN-RECEIVED on "synchronized": both sides' initial
     * sequence numbers are known.
     */
    public boolean isSynchronized() {
        return compareTo(SYN_RECEIVED) >= 0;
    }

    /** True in the states in which the peer's FIN has been received (no more data can arrive). */
    public boolean hasReceivedFin() {
        return this == CLOSE_WAIT || this == CLOSING || this == LAST_ACK || this == TIME_WAIT;
    }

    /** True in the states in which our FIN has been queued or sent (no more data can be sent). */
    public boolean hasClosedOutput() {
        return this == FIN_WAIT_1 || this == FIN_WAIT_2 || this == CLOSING || this == LAST_ACK || this == TIME_WAIT;
    }

    /** Parses an RFC name ({@code SYN-RECEIVED}) or a constant name ({@code SYN_RECEIVED}). */
    public static TcpState fromName(String name) {
        for (TcpState s : values()) {
            if (s.rfcName.equals(name) || s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown TCP state: " + name);
    }
}
