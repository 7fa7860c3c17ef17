package dev.tuntcp.trace;

/**
 * The eleven connection states of RFC 9293 §3.3.2, as the trace model knows them. The trace package
 * keeps its own enum so that it depends on no other part of the stack; the integration maps the
 * state machine's states with {@link #fromName}. {@link #label()} is the RFC's spelling used in
 * every rendering ({@code SYN-RECEIVED}).
 */
public enum TraceState {
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

    private final String label;

    TraceState(String label) {
        this.label = label;
    }

    /** The RFC spelling, e.g. {@code FIN-WAIT-1}. */
    public String label() {
        return label;
    }

    /**
     * The state named {@code name} in either spelling ({@code SYN-RECEIVED}, {@code SYN_RECEIVED},
     * any case; also {@code SYN-RCVD}/{@code SYN-RECV} and the other abbreviations that {@code ss}
     * and RFC 793 use), or null when the name is not a TCP state. Never throws: names come from
     * other programs' output.
     */
    public static TraceState fromName(String name) {
        if (name == null) {
            return null;
        }
        String n = name.trim().toUpperCase(java.util.Locale.ROOT).replace('_', '-');
        switch (n) {
            case "SYN-RCVD":
            case "SYN-RECV":
                return SYN_RECEIVED;
            case "ESTAB":
                return ESTABLISHED;
            case "UNCONN":
            case "CLOSE":
                return CLOSED;
            case "LISTENING":
                return LISTEN;
            default:
                break;
        }
        for (TraceState s : values()) {
            if (s.label.equals(n)) {
                return s;
            }
        }
        return null;
    }
}
