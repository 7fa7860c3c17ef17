package dev.tuntcp.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.testing.Rfc9293;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** RFC 6298's estimator: the RTO stays in bounds, follows §2's formulas, and backs off by doubling. */
class RttEstimatorProperties {
    private static final long MS = 1_000_000L;
    private static final long G = MS;

    /**
     * Any mix of samples (including absurd ones), backoffs and §5.7 re-initialisations keeps the RTO
     * within [min, max].
     */
    @Property(tries = 500)
    @Rfc9293("MUST-18")
    void rtoAlwaysWithinMinAndMax(@ForAll @LongRange(min = 1, max = 5_000) long minMs,
                                  @ForAll @LongRange(min = 0, max = 120_000) long extraMs,
                                  @ForAll @Size(max = 60) List<@LongRange(min = -3, max = 400_000_000_000L) Long> ops) {
        long min = minMs * MS;
        long max = min + extraMs * MS;
        RttEstimator e = new RttEstimator(1000 * MS, min, max, G);
        assertBounded(e, min, max);
        for (long op : ops) {
            if (op == -1) {
                e.backOff();
            } else if (op == -2) {
                e.reinitialize(3000 * MS);
            } else if (op == -3) {
                e.reset();
            } else {
                e.sample(op);
            }
            assertBounded(e, min, max);
        }
    }

    private static void assertBounded(RttEstimator e, long min, long max) {
        assertTrue(e.rtoNanos() >= min && e.rtoNanos() <= max, "RTO " + e.rtoNanos() + " outside [" + min + ", " + max + "]");
    }

    /**
     * SRTT, RTTVAR and RTO agree with §2.2/§2.3 computed in real arithmetic (the estimator uses shifts
     * on nanoseconds, so each step may round down by under 1 ns; the error stays bounded).
     */
    @Property(tries = 500)
    @Rfc9293("MUST-18")
    void followsTheFormulasOfSection2(@ForAll @Size(min = 1, max = 80) List<@LongRange(min = 0, max = 30_000_000_000L) Long> samples) {
        long min = MS;
        long max = 60_000 * MS;
        RttEstimator e = new RttEstimator(1000 * MS, min, max, G);
        double srtt = 0;
        double rttvar = 0;
        boolean first = true;
        for (long r : samples) {
            if (first) {
                srtt = r;
                rttvar = r / 2.0;
                first = false;
            } else {
                rttvar = 0.75 * rttvar + 0.25 * Math.abs(srtt - r);
                srtt = 0.875 * srtt + 0.125 * r;
            }
            e.sample(r);
            assertEquals(srtt, e.srttNanos(), 16, "SRTT");
            assertEquals(rttvar, e.rttvarNanos(), 32, "RTTVAR");
            double rto = Math.max(min, Math.min(max, srtt + Math.max(G, 4 * rttvar)));
            assertEquals(rto, e.rtoNanos(), 4 * 32 + 16, "RTO");
            assertEquals(Math.max(min, Math.min(max, e.srttNanos() + Math.max(G, 4 * e.rttvarNanos()))), e.rtoNanos(),
                    "RTO from the estimator's own SRTT and RTTVAR");
        }
    }

    /** §5.5: each expiry doubles the RTO up to the maximum; the next valid sample (Karn) ends the backoff. */
    @Property(tries = 300)
    @Rfc9293({"MUST-18", "MUST-19"})
    void backoffDoublesUpToTheMaximumUntilTheNextSample(@ForAll @LongRange(min = 0, max = 5_000_000_000L) long rtt,
                                                        @ForAll @IntRange(min = 0, max = 20) int expiries) {
        long max = 60_000 * MS;
        RttEstimator e = new RttEstimator(1000 * MS, 200 * MS, max, G);
        e.sample(rtt);
        long base = e.rtoNanos();
        for (int i = 1; i <= expiries; i++) {
            e.backOff();
            long expected = (long) Math.min((double) max, base * Math.pow(2, i));
            assertEquals(expected, e.rtoNanos(), "after " + i + " expiries");
        }
        e.sample(rtt);
        long fromEstimate = Math.max(200 * MS, Math.min(max, e.srttNanos() + Math.max(G, 4 * e.rttvarNanos())));
        assertEquals(fromEstimate, e.rtoNanos(), "a valid sample after the backoff gives the RTO from the estimate again");
    }
}
