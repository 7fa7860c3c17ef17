package dev.tuntcp.trace;

/**
 * What a segment is mainly about, for colouring ladders: RST over SYN over FIN over data over a bare
 * ACK (a SYN/ACK is a SYN, a FIN with data a FIN).
 */
public enum SegmentKind {
    SYN("\u001b[32m", "#2e7d32"),
    FIN("\u001b[34m", "#1565c0"),
    RST("\u001b[31m", "#c62828"),
    DATA("", "#212121"),
    ACK("", "#616161");

    private final String ansi;
    private final String rgb;

    SegmentKind(String ansi, String rgb) {
        this.ansi = ansi;
        this.rgb = rgb;
    }

    public static SegmentKind of(SegmentEvent s) {
        if (s.isRst()) {
            return RST;
        }
        if (s.isSyn()) {
            return SYN;
        }
        if (s.isFin()) {
            return FIN;
        }
        return s.payloadLength() > 0 ? DATA : ACK;
    }

    /** The ANSI SGR start sequence for terminals (empty for the default colour). */
    public String ansi() {
        return ansi;
    }

    /** The SVG colour. */
    public String rgb() {
        return rgb;
    }
}
