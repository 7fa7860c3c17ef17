package dev.tuntcp.tcp;

/**
 * The options a SYN cookie cannot hold in its 32 bits, carried instead in the low bits of the cookie
 * SYN/ACK's TSval, which the peer echoes back in the TSecr of its ACK (RFC 7323 §3.2 requires the
 * echo) — the same trick as Linux's {@code cookie_init_timestamp}/{@code cookie_timestamp_decode}:
 *
 * <pre>
 * bits 0-3: the peer's window-scale shift (0..14), or 15 when its SYN offered no window scaling
 * bit  4:   the peer's SYN offered SACK-permitted
 * bit  5:   reserved (Linux: ECN), always 0 here
 * </pre>
 *
 * Our own shift needs no room: it is a function of the configuration ({@link
 * OptionNegotiation#ourWindowScale}). Without timestamps in the SYN there is no TSval to borrow, and a
 * cookie offers none of these options (RFC 7323 §2.2, RFC 2018 §2: not offered in the SYN/ACK, not
 * used). The echo is authenticated only by the cookie itself (the ISS check); a forged TSecr on a
 * genuine cookie can at worst switch window scaling or SACK off or on for the forger's own
 * connection.
 */
final class SynCookieOptions {
    /** TSval bits given to options (Linux TSBITS). */
    static final int BITS = 6;
    static final int MASK = (1 << BITS) - 1;
    private static final int WSCALE_MASK = 0xf;
    private static final int NO_WSCALE = WSCALE_MASK;
    private static final int SACK_BIT = 1 << 4;

    private SynCookieOptions() {
    }

    /** The option bits for a SYN's window scale ({@code -1}: none) and SACK-permitted, as we accept them. */
    static int encode(int peerWindowScale, boolean peerSack) {
        int bits = peerWindowScale < 0 ? NO_WSCALE : Math.min(peerWindowScale, OptionNegotiation.MAX_WINDOW_SCALE);
        return peerSack ? bits | SACK_BIT : bits;
    }

    /**
     * The cookie SYN/ACK's TSval: {@code now} with its low {@link #BITS} bits replaced by {@code bits},
     * moved back one step when that would put it in the future, so the clock never runs backwards for
     * the peer's PAWS (the RTT sample from its echo is up to 63 ms too long, once).
     */
    static int stamp(int now, int bits) {
        int tsVal = (now & ~MASK) | bits;
        return tsVal - now > 0 ? tsVal - (1 << BITS) : tsVal;
    }

    /** The peer's window-scale shift from an echoed TSecr, or {@code -1} when it offered none. */
    static int windowScale(int tsEcr) {
        int shift = tsEcr & WSCALE_MASK;
        return shift == NO_WSCALE ? -1 : Math.min(shift, OptionNegotiation.MAX_WINDOW_SCALE);
    }

    /** Whether the peer offered SACK-permitted, from an echoed TSecr. */
    static boolean sackPermitted(int tsEcr) {
        return (tsEcr & SACK_BIT) != 0;
    }
}
