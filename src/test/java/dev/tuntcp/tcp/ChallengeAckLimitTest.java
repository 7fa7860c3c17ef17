package dev.tuntcp.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** RFC 5961 §7: challenge ACKs are throttled layer-wide, with a budget drawn at random each second. */
class ChallengeAckLimitTest {

    @Test
    void aFloodOfInWindowRstsDrawsAtMostTheRandomizedBudgetPerSecond() {
        SecurityHarness h = new SecurityHarness(TestAllocator.config().challengeAckLimit(20));
        h.listen(4);
        Connection a = h.establish(1000, 5000);
        Connection b = h.establish(1001, 9000);
        for (int i = 0; i < 200; i++) {
            h.inject(i % 2 == 0 ? 1000 : 1001, Segment.RST, (i % 2 == 0 ? 5001 : 9001) + 1 + i, 0, 0, -1, 0);
        }
        long sent = h.count(TcpStat.CHALLENGE_ACKS);
        assertTrue(sent >= 10 && sent < 30, "budget in [limit/2, 3*limit/2): " + sent);
        assertEquals(200, sent + h.count(TcpStat.CHALLENGE_ACKS_LIMITED));
        assertEquals(sent, h.sent.size(), "exactly the allowed ones went out");
        assertEquals(200, h.count(TcpDrop.RST_CHALLENGED));
        assertEquals(TcpState.ESTABLISHED, a.tcpState());
        assertEquals(TcpState.ESTABLISHED, b.tcpState());
        // A new second, a new budget.
        h.sent.clear();
        h.advance(1_000_000_000L);
        h.inject(1000, Segment.SYN, 5001, 0, 0, -1, 0);
        assertEquals(1, h.sent.size(), "a SYN in ESTABLISHED is challenged again");
        assertEquals(5001, h.takeLast().ack);
        // The exact RST still works whatever the budget.
        h.inject(1000, Segment.RST, 5001, 0, 0, -1, 0);
        assertEquals(TcpState.CLOSED, a.tcpState());
    }

    @Test
    void ackOfUnsentDataGetsAThrottledChallengeAck() {
        SecurityHarness h = new SecurityHarness(TestAllocator.config().challengeAckLimit(1));
        h.listen(4);
        Connection c = h.establish(1000, 5000);
        h.inject(1000, Segment.ACK, 5001, c.sndNxt + 100_000, 1000, -1, 0);
        h.inject(1000, Segment.ACK, 5001, c.sndNxt + 100_000, 1000, -1, 0);
        assertEquals(2, h.count(TcpDrop.ACK_UNSENT));
        assertEquals(1, h.count(TcpStat.CHALLENGE_ACKS));
        assertEquals(1, h.count(TcpStat.CHALLENGE_ACKS_LIMITED));
        assertEquals(TcpState.ESTABLISHED, c.tcpState());
    }

    @Test
    void limitZeroMeansUnthrottled() {
        SecurityHarness h = new SecurityHarness(TestAllocator.config().challengeAckLimit(0));
        h.listen(4);
        h.establish(1000, 5000);
        for (int i = 0; i < 5000; i++) {
            h.inject(1000, Segment.SYN, 5001 + i, 0, 0, -1, 0); // in the window: RFC 5961 §4
        }
        assertEquals(5000, h.count(TcpStat.CHALLENGE_ACKS));
    }
}
