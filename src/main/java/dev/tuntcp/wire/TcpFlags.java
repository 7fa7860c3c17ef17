package dev.tuntcp.wire;

/**
 * The nine TCP control bits as they sit in the low 9 bits of header bytes 12-13 (RFC 9293 §3.1,
 * RFC 3168 §6.1 for ECE/CWR, RFC 9768 (formerly RFC 3540's NS) for AE). Flags travel as a plain
 * {@code int} so nothing is boxed.
 */
public final class TcpFlags {
    private TcpFlags() {
    }

    public static final int FIN = 0x001;
    public static final int SYN = 0x002;
    public static final int RST = 0x004;
    public static final int PSH = 0x008;
    public static final int ACK = 0x010;
    public static final int URG = 0x020;
    public static final int ECE = 0x040;
    public static final int CWR = 0x080;
    /** Accurate ECN (bit 7 of byte 12), formerly the ECN nonce bit NS. */
    public static final int AE = 0x100;
    /** Old name of {@link #AE} (RFC 3540, historic). */
    public static final int NS = AE;
    /** All nine bits. */
    public static final int MASK = 0x1ff;

    /** True when every bit of {@code required} is set in {@code flags}. */
    public static boolean has(int flags, int required) {
        return (flags & required) == required;
    }

    /**
     * Appends the flags the way tcpdump prints them, without brackets: F S R P . U E W e in that
     * order (e.g. {@code S.} for SYN/ACK, {@code FP.} for FIN/PSH/ACK), or {@code none} when no bit
     * is set.
     */
    public static StringBuilder append(StringBuilder sb, int flags) {
        if ((flags & MASK) == 0) {
            return sb.append("none");
        }
        if ((flags & FIN) != 0) {
            sb.append('F');
        }
        if ((flags & SYN) != 0) {
            sb.append('S');
        }
        if ((flags & RST) != 0) {
            sb.append('R');
        }
        if ((flags & PSH) != 0) {
            sb.append('P');
        }
        if ((flags & ACK) != 0) {
            sb.append('.');
        }
        if ((flags & URG) != 0) {
            sb.append('U');
        }
        if ((flags & ECE) != 0) {
            sb.append('E');
        }
        if ((flags & CWR) != 0) {
            sb.append('W');
        }
        if ((flags & AE) != 0) {
            sb.append('e');
        }
        return sb;
    }

    /** The tcpdump letters of {@link #append} as a String. */
    public static String toString(int flags) {
        return append(new StringBuilder(10), flags).toString();
    }
}
