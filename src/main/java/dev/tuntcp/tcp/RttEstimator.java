package dev.tuntcp.tcp;

/**
 * The round-trip estimator and retransmission timeout of RFC 6298: SRTT and RTTVAR from RTT samples
 * (§2), RTO = SRTT + max(G, K·RTTVAR) clamped to [min, max] (§2.4, §2.5), and the exponential backoff
 * of §5.5, which Karn's algorithm keeps until the next valid sample (§3, §5.7 note). Pure arithmetic
 * on nanoseconds, no clock and no allocation; {@link RetransmitTimer} drives it.
 *
 * <p><b>Minimum RTO.</b> RFC 6298 §2.4 says the RTO SHOULD be rounded up to 1 s; the default here is
 * 200 ms, Linux's {@code TCP_RTO_MIN} ({@link TcpConfig#minRtoNanos()}). The 1 s floor dates from
 * coarse 500 ms clock ticks (§4 notes it is conservative); with a nanosecond clock the K·RTTVAR term
 * already covers the variance, and the kernel peers this stack talks to recover from a lost tail
 * segment after 200 ms, so a 1 s floor would make tuntcp five times slower than its peer exactly when
 * the network is bad. The floor is configurable for those who want the RFC's value.
 */
final class RttEstimator {
    /** α = 1/8, β = 1/4 (RFC 6298 §2.3), applied as shifts. */
    private static final int ALPHA_SHIFT = 3;
    private static final int BETA_SHIFT = 2;
    /** K = 4 (RFC 6298 §2). */
    private static final int K = 4;

    private final long initialRtoNanos;
    private final long minRtoNanos;
    private final long maxRtoNanos;
    private final long granularityNanos;

    private long srtt;
    private long rttvar;
    private boolean hasSample;
    /** The RTO from the estimate (§2.2-§2.4), before backoff. */
    private long baseRto;
    /** The RTO in force: {@link #baseRto} doubled once per backoff (§5.5), at most the maximum. */
    private long rto;

    RttEstimator(long initialRtoNanos, long minRtoNanos, long maxRtoNanos, long granularityNanos) {
        if (minRtoNanos <= 0 || maxRtoNanos < minRtoNanos || granularityNanos < 0 || initialRtoNanos <= 0) {
            throw new IllegalArgumentException("bad RTO bounds");
        }
        this.initialRtoNanos = initialRtoNanos;
        this.minRtoNanos = minRtoNanos;
        this.maxRtoNanos = maxRtoNanos;
        this.granularityNanos = granularityNanos;
        reset();
    }

    /** §2.1: before any sample, RTO is the initial value (1 s) and SRTT/RTTVAR are unset. */
    void reset() {
        hasSample = false;
        srtt = 0;
        rttvar = 0;
        baseRto = clamp(initialRtoNanos);
        rto = baseRto;
    }

    /**
     * Takes one RTT measurement R (§2.2 for the first, §2.3 for later ones) and recomputes the RTO,
     * which also ends any backoff (Karn: the backed-off RTO is kept until a valid sample arrives).
     * Negative samples (a clock that went backwards) are ignored.
     */
    void sample(long rttNanos) {
        if (rttNanos < 0) {
            return;
        }
        if (!hasSample) {
            // §2.2: SRTT <- R, RTTVAR <- R/2
            srtt = rttNanos;
            rttvar = rttNanos / 2;
            hasSample = true;
        } else {
            // §2.3: RTTVAR <- (1 - beta) * RTTVAR + beta * |SRTT - R'|, then SRTT <- (1 - alpha) * SRTT + alpha * R'
            long delta = Math.abs(srtt - rttNanos);
            rttvar += (delta - rttvar) >> BETA_SHIFT;
            srtt += (rttNanos - srtt) >> ALPHA_SHIFT;
        }
        // §2.2/§2.3: RTO <- SRTT + max (G, K*RTTVAR); §2.4/§2.5: clamp to [min, max].
        long sum = srtt + Math.max(granularityNanos, saturatingMultiply(rttvar, K));
        baseRto = clamp(sum < 0 ? Long.MAX_VALUE : sum);
        rto = baseRto;
    }

    /** §5.5: "RTO <- RTO * 2" on an expiry, with the §2.5 maximum applied. */
    void backOff() {
        rto = rto > maxRtoNanos / 2 ? maxRtoNanos : rto * 2;
    }

    /**
     * §5.7: the SYN or SYN/ACK timed out, so when data transmission begins the RTO is re-initialized
     * (to 3 s) until an RTT sample replaces it.
     */
    void reinitialize(long nanos) {
        baseRto = clamp(nanos);
        rto = baseRto;
    }

    /** Ends the backoff: the RTO from the estimate again (see {@link RetransmitTimer#onUnambiguousAck}). */
    void endBackoff() {
        rto = baseRto;
    }

    /** The RTO from the estimate, without backoff. */
    long baseRtoNanos() {
        return baseRto;
    }

    long rtoNanos() {
        return rto;
    }

    boolean hasSample() {
        return hasSample;
    }

    /** SRTT, or 0 before the first sample. */
    long srttNanos() {
        return srtt;
    }

    long rttvarNanos() {
        return rttvar;
    }

    long minRtoNanos() {
        return minRtoNanos;
    }

    long maxRtoNanos() {
        return maxRtoNanos;
    }

    private long clamp(long value) {
        return Math.max(minRtoNanos, Math.min(maxRtoNanos, value));
    }

    private static long saturatingMultiply(long value, int factor) {
        return value > Long.MAX_VALUE / factor ? Long.MAX_VALUE : value * factor;
    }
}
