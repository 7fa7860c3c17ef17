package dev.tuntcp.tcp.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.testing.Rfc9293;
import org.junit.jupiter.api.Test;

/**
 * RFC 9293 §3.8.2: the congestion-control algorithms on their own, fed ACKs, losses and timeouts:
 * slow start, congestion avoidance and the one-segment loss window after a timeout (RFC 5681), and
 * CUBIC (RFC 9438) as a conformant alternative.
 */
class Rfc9293CongestionControlTest {
    private static final int MSS = 1000;
    private static final long RTT = 100_000_000L;

    @Test
    @Rfc9293("MUST-19")
    void newRenoHasSlowStartCongestionAvoidanceAndAOneSegmentWindowAfterATimeout() {
        CongestionControl cc = CongestionAlgorithm.NEWRENO.create();
        cc.init(MSS, 10 * MSS);
        assertTrue(cc.inSlowStart());
        // Slow start: one MSS more per ACK of a full segment, so the window doubles every round trip.
        for (int i = 0; i < 10; i++) {
            cc.onAck(MSS, true, 0, RTT);
        }
        assertEquals(20 * MSS, cc.cwnd());
        // A loss: ssthresh = FlightSize / 2 (RFC 5681 equation 4), and congestion avoidance begins.
        cc.onCongestion(20 * MSS, 0);
        assertEquals(10 * MSS, cc.ssthresh());
        assertEquals(10 * MSS, cc.cwnd());
        assertFalse(cc.inSlowStart());
        // Congestion avoidance: one MSS per window's worth of acknowledged octets.
        for (int i = 0; i < 9; i++) {
            cc.onAck(MSS, true, 0, RTT);
        }
        assertEquals(10 * MSS, cc.cwnd());
        cc.onAck(MSS, true, 0, RTT);
        assertEquals(11 * MSS, cc.cwnd());
        // A retransmission timeout: the loss window is one segment, ssthresh half the flight, and slow
        // start climbs again.
        cc.onTimeout(11 * MSS, true, 0);
        assertEquals(MSS, cc.cwnd());
        assertEquals(5500, cc.ssthresh());
        cc.onAck(MSS, true, 0, RTT);
        assertEquals(2 * MSS, cc.cwnd());
        // A later expiry of the same episode keeps ssthresh (RFC 5681 §3.1).
        cc.onTimeout(2 * MSS, false, 0);
        assertEquals(5500, cc.ssthresh());
        assertEquals(MSS, cc.cwnd());
    }

    @Test
    @Rfc9293("MAY-18")
    void cubicIsAConformantAlternative() {
        CongestionControl cc = CongestionAlgorithm.parse("cubic").create();
        cc.init(MSS, 10 * MSS);
        for (int i = 0; i < 10; i++) {
            cc.onAck(MSS, true, 0, RTT);
        }
        assertEquals(20 * MSS, cc.cwnd(), "RFC 5681 slow start");
        // RFC 9438 §4.6: a loss multiplies the window by beta = 0.7.
        cc.onCongestion(20 * MSS, 0);
        assertTrue(Math.abs(cc.ssthresh() - 14 * MSS) <= 1, "ssthresh " + cc.ssthresh());
        assertTrue(Math.abs(cc.cwnd() - 14 * MSS) <= 1, "cwnd " + cc.cwnd());
        // Congestion avoidance, one window of ACKs per round trip for 10 s: the window grows back past
        // W_max (20 segments) but never by more than half per round trip (§4.4, §4.5).
        long now = 0;
        int before = cc.cwnd();
        for (int round = 0; round < 100; round++) {
            int start = cc.cwnd();
            for (int acked = 0; acked < start; acked += MSS) {
                cc.onAck(MSS, true, now, RTT);
            }
            assertTrue(cc.cwnd() <= start * 1.5 + MSS, "round " + round + ": " + start + " -> " + cc.cwnd());
            now += RTT;
        }
        assertTrue(cc.cwnd() > 20 * MSS && cc.cwnd() > before, "cwnd after 10 s: " + cc.cwnd());
        // §4.8: a timeout restarts from one segment.
        cc.onTimeout(cc.cwnd(), true, now);
        assertEquals(MSS, cc.cwnd());
    }
}
