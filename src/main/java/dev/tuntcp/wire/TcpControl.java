package dev.tuntcp.wire;

/**
 * What a segment's SYN/FIN/RST/ACK/PSH/URG bits ask for, with the combinations no conforming TCP
 * sends named individually. The flyweight never rejects a combination (a null or Xmas scan must
 * still reach the TCP layer to be answered and counted); the TCP layer calls {@link #classify} and
 * counts the illegal constants, as smoltcp's {@code Control} makes them unrepresentable.
 * ECE, CWR and AE do not take part.
 */
public enum TcpControl {
    /** A SYN without ACK: opening (RFC 9293 §3.5). */
    SYN(true),
    /** SYN and ACK: the second step of the handshake. */
    SYN_ACK(true),
    /** RST, with or without ACK (RFC 9293 §3.5.2: a reset answering a segment without ACK has none). */
    RST(true),
    /** FIN with ACK (every segment after the SYN carries ACK, RFC 9293 §3.10.7.4 "if the ACK bit is off drop"). */
    FIN(true),
    /** ACK with no SYN/FIN/RST: data or a pure acknowledgement (PSH/URG may be set). */
    ACK(true),

    /** No control bit at all: a "null scan". */
    ILLEGAL_NULL(false),
    /** SYN and FIN together. */
    ILLEGAL_SYN_FIN(false),
    /** SYN and RST together. */
    ILLEGAL_SYN_RST(false),
    /** FIN and RST together. */
    ILLEGAL_FIN_RST(false),
    /** FIN, PSH and URG without ACK: an "Xmas scan". */
    ILLEGAL_XMAS(false),
    /** FIN without ACK (a "FIN scan"). */
    ILLEGAL_FIN_WITHOUT_ACK(false),
    /** PSH and/or URG without ACK, SYN, FIN or RST. */
    ILLEGAL_WITHOUT_ACK(false);

    private final boolean legal;

    TcpControl(boolean legal) {
        this.legal = legal;
    }

    /** True for the five combinations a conforming TCP sends. */
    public boolean isLegal() {
        return legal;
    }

    /** Classifies the flags of a segment; allocation free. */
    public static TcpControl classify(int flags) {
        boolean syn = (flags & TcpFlags.SYN) != 0;
        boolean fin = (flags & TcpFlags.FIN) != 0;
        boolean rst = (flags & TcpFlags.RST) != 0;
        boolean ack = (flags & TcpFlags.ACK) != 0;
        if (syn) {
            if (fin) {
                return ILLEGAL_SYN_FIN;
            }
            if (rst) {
                return ILLEGAL_SYN_RST;
            }
            return ack ? SYN_ACK : SYN;
        }
        if (rst) {
            return fin ? ILLEGAL_FIN_RST : RST;
        }
        if (fin) {
            if (ack) {
                return FIN;
            }
            return TcpFlags.has(flags, TcpFlags.PSH | TcpFlags.URG) ? ILLEGAL_XMAS : ILLEGAL_FIN_WITHOUT_ACK;
        }
        if (ack) {
            return ACK;
        }
        return (flags & (TcpFlags.PSH | TcpFlags.URG)) == 0 ? ILLEGAL_NULL : ILLEGAL_WITHOUT_ACK;
    }
}
