package dev.tuntcp.tcp.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The window arithmetic of NewReno (RFC 5681) and CUBIC (RFC 9438) on their own. */
class CongestionControlTest {
    private static final int MSS = 1000;
    private static final long MS = 1_000_000L;

    @Test
    void newRenoSlowStartThenCongestionAvoidanceThenHalvesOnLoss() {
        NewReno r = new NewReno();
        r.init(MSS, 10 * MSS);
        r.onAck(2 * MSS, true, 0, 0);
        assertEquals(11 * MSS, r.cwnd(), "slow start: at most one MSS per ACK");
        r.onCongestion(20 * MSS, 0);
        assertEquals(10 * MSS, r.ssthresh(), "ssthresh = FlightSize / 2");
        assertEquals(10 * MSS, r.cwnd());
        for (int i = 0; i < 9; i++) {
            r.onAck(MSS, true, 0, 0);
        }
        assertEquals(10 * MSS, r.cwnd(), "congestion avoidance: nothing until a window is acknowledged");
        r.onAck(MSS, true, 0, 0);
        assertEquals(11 * MSS, r.cwnd(), "one MSS per window");
        r.onAck(50 * MSS, false, 0, 0);
        assertEquals(11 * MSS, r.cwnd(), "a window that is not used does not grow (RFC 7661)");
        r.onTimeout(4 * MSS, true, 0);
        assertEquals(MSS, r.cwnd(), "loss window");
        assertEquals(2 * MSS, r.ssthresh(), "at least 2 MSS");
        r.onTimeout(4 * MSS, false, 0);
        assertEquals(2 * MSS, r.ssthresh(), "held on a repeated timeout");
    }

    @Test
    void cubicReducesByBetaAndClimbsBackToWmaxAroundK() {
        Cubic c = new Cubic();
        c.init(MSS, 100 * MSS);
        c.onCongestion(100 * MSS, 0);
        assertEquals(70 * MSS, c.ssthresh(), "β = 0.7");
        assertEquals(70 * MSS, c.cwnd());
        assertEquals(100.0, c.wMaxSegments(), 1e-9);
        // K = cbrt(W_max (1 − β) / C) = cbrt(100 · 0.3 / 0.4) ≈ 4.217 s
        double k = Math.cbrt(100 * 0.3 / 0.4);
        long srtt = 10 * MS;
        long now = 0;
        int atK = 0;
        while (now < (long) (2 * k * 1e9)) {
            c.onAck(MSS, true, now, srtt);
            now += srtt / 10; // ten ACKs per RTT
            if (atK == 0 && now >= (long) (k * 1e9)) {
                atK = c.cwnd();
            }
        }
        assertTrue(Math.abs(atK - 100 * MSS) < 3 * MSS, "near W_max at t = K: " + atK);
        assertTrue(c.cwnd() > 100 * MSS, "convex beyond W_max: " + c.cwnd());
        // a second loss below the old W_max: fast convergence lowers W_max further
        c.onCongestion(c.cwnd(), now);
        double prior = c.wMaxSegments();
        c.setCwnd(80 * MSS);
        c.onCongestion(80 * MSS, now);
        assertEquals(80 * (1 + 0.7) / 2, c.wMaxSegments(), 1e-9, "fast convergence (RFC 9438 §4.7), was " + prior);
        c.onTimeout(56 * MSS, true, now);
        assertEquals(MSS, c.cwnd(), "loss window after a timeout");
    }

    @Test
    void algorithmsAreNamedForTheCommandLine() {
        assertEquals(CongestionAlgorithm.CUBIC, CongestionAlgorithm.parse("CUBIC"));
        assertEquals("newreno", CongestionAlgorithm.parse("newreno").create().name());
        assertEquals("cubic", CongestionAlgorithm.CUBIC.create().name());
    }
}
