package dev.tuntcp.tcp;

import dev.tuntcp.testing.Rfc9293;
import org.junit.jupiter.api.Test;

/**
 * The send side's flow decisions, segment by segment: Nagle's algorithm and TCP_NODELAY (RFC 9293
 * §3.7.4, RFC 1122 §4.2.3.4), the persist timer's zero-window probes with backoff (RFC 9293 §3.8.6.1),
 * keep-alive (RFC 1122 §4.2.3.6) and SO_LINGER {on, 0}.
 */
class SendFlowScriptTest {

    private static final String ESTABLISHED = """
            listen
            < S 0:0(0) win 65535 <mss 1460>
            > S. 0:0(0) ack 1 <mss 1460>
            < . 1:1(0) ack 1 win 65535
            ~ open
            """;

    @Test
    @Rfc9293({"SHLD-7", "MAY-16"})
    void nagleHoldsASmallSegmentWhileASmallOneIsUnacknowledgedAndReleasesItOnTheAck() {
        new SegmentScript().run(ESTABLISHED + """
                write 10
                > P. 1:11(10) ack 1
                write 10
                write 10
                # a short segment is in flight: the new short data waits, and coalesces
                +500ms
                < . 1:1(0) ack 11
                > P. 11:31(20) ack 1
                < . 1:1(0) ack 31
                count RETRANSMITS 0
                """);
    }

    @Test
    @Rfc9293("SHLD-7")
    void nagleNeverHoldsAFullSegmentNorTheTailOfALargeWrite() {
        new SegmentScript().run(ESTABLISHED + """
                write 1465
                # Minshall's refinement (as Linux): the short tail follows its own full segment at once
                > . 1:1461(1460) ack 1
                > P. 1461:1466(5) ack 1
                # now a short segment is in flight: short data waits, a full segment's worth does not
                write 1470
                > . 1466:2926(1460) ack 1
                < . 1:1(0) ack 1466
                > P. 2926:2936(10) ack 1
                < . 1:1(0) ack 2936
                """);
    }

    @Test
    @Rfc9293("MUST-17")
    void noDelaySendsSmallSegmentsAtOnce() {
        new SegmentScript().run(ESTABLISHED + """
                nodelay
                write 10
                > P. 1:11(10) ack 1
                write 10
                > P. 11:21(10) ack 1
                write 10
                > P. 21:31(10) ack 1
                < . 1:1(0) ack 31
                """);
    }

    @Test
    @Rfc9293("MUST-17")
    void turningNoDelayOnReleasesWhatNagleHeld() {
        new SegmentScript().run(ESTABLISHED + """
                write 10
                > P. 1:11(10) ack 1
                write 20
                nodelay
                > P. 11:31(20) ack 1
                """);
    }

    @Test
    void closingPushesWhatNagleHeldWithTheFin() {
        new SegmentScript().run(ESTABLISHED + """
                write 10
                > P. 1:11(10) ack 1
                write 20
                shutdown
                > FP. 11:31(20) ack 1
                """);
    }

    /**
     * A peer whose window stays shut while it answers every probe: probes back off (1, 2, 4, 8, 16,
     * 32 s, then the 60 s maximum RTO), the connection outlives any number of answered probes — far
     * beyond the ten retries that end an unanswered retransmission — and resumes byte-exact when the
     * window opens.
     */
    @Test
    @Rfc9293({"MUST-36", "MUST-37", "SHLD-29", "SHLD-30"})
    void zeroWindowStallIsProbedWithBackoffAndResumesWhenTheWindowOpens() {
        StringBuilder script = new StringBuilder(ESTABLISHED + """
                < . 1:1(0) ack 1 win 0
                write 3000
                +999ms
                +1ms
                > . 1:2(1) ack 1
                < . 1:1(0) ack 1 win 0
                +1999ms
                +1ms
                > . 1:2(1) ack 1
                < . 1:1(0) ack 1 win 0
                +3999ms
                +1ms
                > . 1:2(1) ack 1
                < . 1:1(0) ack 1 win 0
                +8s
                > . 1:2(1) ack 1
                < . 1:1(0) ack 1 win 0
                +16s
                > . 1:2(1) ack 1
                < . 1:1(0) ack 1 win 0
                +32s
                > . 1:2(1) ack 1
                < . 1:1(0) ack 1 win 0
                """);
        for (int i = 0; i < 14; i++) {
            script.append("""
                    +59s
                    +1s
                    > . 1:2(1) ack 1
                    < . 1:1(0) ack 1 win 0
                    """);
        }
        script.append("""
                state ESTABLISHED
                count ZERO_WINDOW_PROBES 20
                count RETRANSMIT_TIMEOUTS 0
                # the window opens: the probe octet is taken and the rest flows
                < . 1:1(0) ack 2 win 2000
                > . 2:1462(1460) ack 1
                < . 1:1(0) ack 1462 win 4000
                > P. 1462:3001(1539) ack 1
                """.replace("1539", "1460").replace("> P. 1462:3001(1460) ack 1", """
                > . 1462:2922(1460) ack 1
                > P. 2922:3001(79) ack 1"""));
        script.append("""
                < . 1:1(0) ack 3001 win 4000
                var SND.UNA 3001
                +10min
                state ESTABLISHED
                count ZERO_WINDOW_PROBES 20
                """);
        new SegmentScript().run(script.toString());
    }

    @Test
    @Rfc9293({"MUST-34", "MUST-35"})
    void aShrunkWindowIsProbedNotTimedOut() {
        new SegmentScript().run(ESTABLISHED + """
                write 100
                > P. 1:101(100) ack 1
                # the peer takes 50 octets and shuts its window (shrinking it: RFC 9293 §3.8.6.2.2)
                < . 1:1(0) ack 51 win 0
                +1s
                > . 51:52(1) ack 1
                < . 1:1(0) ack 51 win 0
                +2s
                > . 51:52(1) ack 1
                < . 1:1(0) ack 52 win 1000
                > P. 52:101(49) ack 1
                < . 1:1(0) ack 101 win 1000
                count RETRANSMIT_TIMEOUTS 0
                count ZERO_WINDOW_PROBES 2
                """);
    }

    @Test
    void unansweredZeroWindowProbesEndTheConnection() {
        new SegmentScript(SegmentScript.config().dataRetries(3)).run(ESTABLISHED + """
                < . 1:1(0) ack 1 win 0
                write 10
                +1s
                > . 1:2(1) ack 1
                +2s
                > . 1:2(1) ack 1
                +4s
                > . 1:2(1) ack 1
                +8s
                ~ closed TIMED_OUT
                state CLOSED
                count PERSIST_TIMEOUTS 1
                count ZERO_WINDOW_PROBES 3
                """);
    }

    @Test
    @Rfc9293("MUST-38")
    void smallWindowIsFilledByTheOverrideTimeoutWhenNothingIsInFlight() {
        new SegmentScript().run(ESTABLISHED + """
                < . 1:1(0) ack 1 win 100
                write 1000
                # 100 octets: less than an MSS, less than half the largest window (65535): wait
                +999ms
                +1ms
                > . 1:101(100) ack 1
                count SWS_OVERRIDES 1
                < . 1:1(0) ack 101 win 40000
                > . 101:1001(900) ack 1
                """.replace("> . 101:1001(900) ack 1", "> P. 101:1001(900) ack 1"));
    }

    @Test
    @Rfc9293("MUST-25")
    void keepAliveIsOffByDefault() {
        new SegmentScript().run(ESTABLISHED + """
                +3h
                state ESTABLISHED
                count KEEPALIVE_PROBES 0
                """.replace("+3h", "+180min"));
    }

    @Test
    @Rfc9293({"MUST-24", "MUST-26", "MUST-27", "MUST-29", "SHLD-12", "MAY-5"})
    void keepAliveProbesAnIdlePeerAndAbortsAfterUnansweredProbes() {
        new SegmentScript().run(ESTABLISHED + """
                keepalive 10s 1s 3
                +9s
                < P. 1:11(10) ack 1
                > . 1:1(0) ack 11
                # heard at 9 s: the idle time starts again, the first probe goes at 19 s
                +9999ms
                +1ms
                > . 0:0(0) ack 11
                # the probe <SEQ=SND.NXT-1> is answered with an ACK: alive
                < . 11:11(0) ack 1
                +9s
                +1s
                > . 0:0(0) ack 11
                +1s
                > . 0:0(0) ack 11
                +1s
                > . 0:0(0) ack 11
                +1s
                > R 1:1(0)
                ~ closed TIMED_OUT
                state CLOSED
                count KEEPALIVE_PROBES 4
                count KEEPALIVE_TIMEOUTS 1
                """);
    }

    @Test
    @Rfc9293("MUST-26")
    void keepAliveWaitsWhileDataIsUnacknowledged() {
        new SegmentScript(SegmentScript.config().dataRetries(20)).run(ESTABLISHED + """
                keepalive 2s 1s 1
                < . 1:1(0) ack 1 win 0
                write 10
                # the persist timer watches this peer; keep-alive stays quiet
                +1s
                > . 1:2(1) ack 1
                < . 1:1(0) ack 1 win 0
                +2s
                > . 1:2(1) ack 1
                < . 1:1(0) ack 1 win 0
                count KEEPALIVE_PROBES 0
                state ESTABLISHED
                """);
    }

    @Test
    void lingerZeroCloseResetsAndDiscards() {
        new SegmentScript().run(ESTABLISHED + """
                < . 1:1(0) ack 1 win 0
                write 500
                linger0
                close
                > R 1:1(0)
                ~ closed ABORTED
                state CLOSED
                count LINGER_ABORTS 1
                """);
    }

    @Test
    void withoutLingerCloseIsGraceful() {
        new SegmentScript().run(ESTABLISHED + """
                write 5
                > P. 1:6(5) ack 1
                close
                > F. 6:6(0) ack 1
                count LINGER_ABORTS 0
                """);
    }
}
