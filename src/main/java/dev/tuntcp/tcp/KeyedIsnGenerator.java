package dev.tuntcp.tcp;

import dev.tuntcp.stack.Clock;
import java.security.SecureRandom;

/**
 * Initial sequence numbers per RFC 6528 §3: ISN = M + F(localip, localport, remoteip, remoteport,
 * secretkey), where M is a timer ticking every 4 microseconds and F is SipHash-2-4 under a key drawn
 * at random once per process. Successive incarnations of one 4-tuple thus get increasing ISNs (the
 * RFC 9293 §3.4.1 clock), while an off-path attacker cannot predict any of them.
 */
public final class KeyedIsnGenerator implements IsnGenerator {
    private final Clock clock;
    private final long k0;
    private final long k1;

    /** A generator with a fresh random key. */
    public KeyedIsnGenerator(Clock clock) {
        this(clock, new SecureRandom().nextLong(), new SecureRandom().nextLong());
    }

    /** A generator with a given key (tests). */
    public KeyedIsnGenerator(Clock clock, long k0, long k1) {
        this.clock = clock;
        this.k0 = k0;
        this.k1 = k1;
    }

    @Override
    public int initialSequenceNumber(int localAddress, int localPort, int remoteAddress, int remotePort) {
        // RFC 6528 §3: M, the 4-microsecond timer.
        int m = (int) (clock.nanos() / 4000);
        long first8 = (Integer.toUnsignedLong(localAddress) << 32) | Integer.toUnsignedLong(remoteAddress);
        int last4 = (localPort << 16) | (remotePort & 0xffff);
        return m + (int) SipHash.hash12(k0, k1, first8, last4);
    }
}
