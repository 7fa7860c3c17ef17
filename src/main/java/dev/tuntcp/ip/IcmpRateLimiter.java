package dev.tuntcp.ip;

import dev.tuntcp.stack.Clock;

/**
 * A token bucket for ICMP error messages (RFC 1122 §3.2.2: "a host SHOULD be able to limit the rate
 * of ICMP error messages"; RFC 1812 §4.3.2.8), so a flood of bad packets cannot make us a flood
 * source. Defaults follow Linux's {@code icmp_msgs_per_sec} 1000 and {@code icmp_msgs_burst} 50.
 * Echo replies are not limited, as in Linux.
 */
public final class IcmpRateLimiter {
    private final Clock clock;
    private final long nanosPerToken;
    private final long burst;
    private long tokens;
    private long last;

    public IcmpRateLimiter(Clock clock, int perSecond, int burst) {
        if (perSecond <= 0 || burst <= 0) {
            throw new IllegalArgumentException("ICMP rate and burst must be positive");
        }
        this.clock = clock;
        this.nanosPerToken = 1_000_000_000L / perSecond;
        this.burst = burst;
        this.tokens = burst;
        this.last = clock.nanos();
    }

    public static IcmpRateLimiter defaults(Clock clock) {
        return new IcmpRateLimiter(clock, 1000, 50);
    }

    /** Takes a token if one is available. */
    public boolean tryAcquire() {
        long now = clock.nanos();
        long earned = (now - last) / nanosPerToken;
        if (earned > 0) {
            tokens = Math.min(burst, tokens + earned);
            last += earned * nanosPerToken;
        }
        if (tokens >= burst) {
            last = now; // a full bucket does not bank time
        }
        if (tokens == 0) {
            return false;
        }
        tokens--;
        return true;
    }
}
