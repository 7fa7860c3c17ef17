package dev.tuntcp.tcp;

import dev.tuntcp.stack.Clock;
import java.security.SecureRandom;

/**
 * SYN cookies (RFC 4987 §3.6): when a listener's half-open queue is full, the SYN/ACK's ISS carries
 * everything needed to rebuild the connection, so no state is kept until the peer's ACK returns it
 * (as SEG.ACK - 1). The layout follows Linux's {@code secure_tcp_syn_cookie}:
 *
 * <pre>
 * ISS = H1(4-tuple) + peer ISN + (count &lt;&lt; 24) + ((H2(4-tuple, count) + mssIndex) mod 2^24)
 * </pre>
 *
 * where H1 and H2 are SipHash-2-4 under keys drawn at random per layer, and {@code count} is a coarse
 * clock ticking once a minute. Checking subtracts H1 and the peer's ISN, reads the top byte as the
 * count (accepted if at most {@link #MAX_AGE} - 1 ticks old), subtracts H2 for that count and expects
 * a valid MSS index in the low 24 bits: a blind guess passes with probability about
 * 4 / 2^24 per tick in the window.
 *
 * <p>The options a cookie cannot carry (the peer's window-scale shift, SACK-permitted) ride in the
 * low bits of the SYN/ACK's TSval when the SYN offered timestamps ({@link SynCookieOptions}, as
 * Linux does); without timestamps they are dropped honestly: the cookie SYN/ACK offers none of them
 * (RFC 7323 §2.2 / RFC 2018: an option not in the SYN/ACK is not in use).
 *
 * <p>Owned by the event-loop thread; allocation free.
 */
final class SynCookies {
    /** The MSS values a cookie can encode (Linux's IPv4 msstab): the largest not above the peer's is used. */
    static final int[] MSS_TABLE = {536, 1300, 1440, 1460};
    /** One tick of the cookie clock (Linux: 60 s). */
    static final long PERIOD_NANOS = 60_000_000_000L;
    /** Ticks a cookie stays valid (Linux MAX_SYNCOOKIE_AGE): between one and two minutes. */
    static final int MAX_AGE = 2;

    private final Clock clock;
    private final long k0;
    private final long k1;
    private final long k2;
    private final long k3;

    SynCookies(Clock clock) {
        this(clock, new SecureRandom());
    }

    SynCookies(Clock clock, SecureRandom random) {
        this(clock, random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
    }

    /** Fixed keys, for tests. */
    SynCookies(Clock clock, long k0, long k1, long k2, long k3) {
        this.clock = clock;
        this.k0 = k0;
        this.k1 = k1;
        this.k2 = k2;
        this.k3 = k3;
    }

    /** The index into {@link #MSS_TABLE} for a peer's MSS option ({@code -1}: absent, so 536). */
    static int mssIndex(int peerMss) {
        int mss = peerMss < 0 ? MSS_TABLE[0] : peerMss;
        for (int i = MSS_TABLE.length - 1; i > 0; i--) {
            if (mss >= MSS_TABLE[i]) {
                return i;
            }
        }
        return 0;
    }

    /** The cookie ISS for a SYN with sequence number {@code peerIsn} on this 4-tuple. */
    int make(int localAddress, int localPort, int remoteAddress, int remotePort, int peerIsn, int mssIndex) {
        int count = count();
        long addresses = addresses(localAddress, remoteAddress);
        int ports = ports(localPort, remotePort);
        return h1(addresses, ports) + peerIsn + (count << 24)
                + ((h2(addresses, ports, count) + mssIndex) & 0xffffff);
    }

    /**
     * Checks the cookie {@code iss} (SEG.ACK - 1 of the ACK) against the peer's ISN ({@code peerIsn},
     * SEG.SEQ - 1); returns the MSS index it encodes, or -1 if it is not a live cookie of ours.
     */
    int check(int localAddress, int localPort, int remoteAddress, int remotePort, int peerIsn, int iss) {
        long addresses = addresses(localAddress, remoteAddress);
        int ports = ports(localPort, remotePort);
        int rest = iss - h1(addresses, ports) - peerIsn;
        int count = count();
        int age = (count - (rest >>> 24)) & 0xff;
        if (age >= MAX_AGE) {
            return -1;
        }
        int data = (rest - h2(addresses, ports, count - age)) & 0xffffff;
        return data < MSS_TABLE.length ? data : -1;
    }

    /** The window a cookie SYN/ACK offers (unscaled: it carries no window-scale option). */
    static int synAckWindow(TcpConfig config) {
        return Math.min(config.receiveBufferSize(), 65535);
    }

    private int count() {
        return (int) Math.floorDiv(clock.nanos(), PERIOD_NANOS);
    }

    private int h1(long addresses, int ports) {
        return (int) SipHash.hash12(k0, k1, addresses, ports);
    }

    private int h2(long addresses, int ports, int count) {
        // The count is folded into the key, so (tuple, count) pairs cannot be traded for one another.
        return (int) SipHash.hash12(k2 + count, k3, addresses, ports);
    }

    private static long addresses(int local, int remote) {
        return (Integer.toUnsignedLong(local) << 32) | Integer.toUnsignedLong(remote);
    }

    private static int ports(int localPort, int remotePort) {
        return (localPort << 16) | (remotePort & 0xffff);
    }
}
