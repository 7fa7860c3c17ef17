package dev.tuntcp.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.testing.Rfc9293;
import dev.tuntcp.wire.SeqNum;
import org.junit.jupiter.api.Test;

/**
 * Closing (RFC 9293 §3.6, §3.10.4, §3.10.7.4 fifth and eighth steps): active, passive and
 * simultaneous close, half-close both ways, FIN with data and with ACK, TIME-WAIT, and what the
 * application's close() means for unread and later data.
 */
class CloseScriptTest {

    static final String ESTABLISHED = """
            listen
            < S 0:0(0) win 65535 <mss 1460>
            > S. 0:0(0) ack 1 <mss 1460>
            < . 1:1(0) ack 1 win 65535
            ~ open
            """;

    @Test
    @Rfc9293({"MUST-12", "MUST-13"})
    void activeCloseThroughFinWait1FinWait2AndTimeWait() {
        new SegmentScript().run(ESTABLISHED + """
                shutdown
                state FIN-WAIT-1
                > F. 1:1(0) ack 1
                write-refused
                < . 1:1(0) ack 2
                state FIN-WAIT-2
                < F. 1:1(0) ack 2
                state TIME-WAIT
                > . 2:2(0) ack 2
                ~ readable
                ~ closed CLOSED
                eof
                +59s
                state TIME-WAIT
                +1s
                state CLOSED
                """);
    }

    @Test
    @Rfc9293("MUST-13")
    void timeWaitLastsTwiceTheConfiguredMsl() {
        new SegmentScript(TestAllocator.config().mslNanos(2_000_000_000L)).run(ESTABLISHED + """
                shutdown
                > F. 1:1(0) ack 1
                < F. 1:1(0) ack 2
                > . 2:2(0) ack 2
                state TIME-WAIT
                +3999ms
                state TIME-WAIT
                +1ms
                state CLOSED
                """);
    }

    @Test
    @Rfc9293("MUST-12")
    void passiveCloseThroughCloseWaitAndLastAck() {
        new SegmentScript().run(ESTABLISHED + """
                < F. 1:1(0) ack 1
                state CLOSE-WAIT
                > . 1:1(0) ack 2
                ~ readable
                eof
                shutdown
                state LAST-ACK
                > F. 1:1(0) ack 2
                < . 2:2(0) ack 2
                state CLOSED
                ~ closed CLOSED
                """);
    }

    @Test
    void simultaneousCloseThroughClosing() {
        new SegmentScript().run(ESTABLISHED + """
                shutdown
                > F. 1:1(0) ack 1
                # the peer's FIN crossed ours: it does not acknowledge our FIN
                < F. 1:1(0) ack 1
                state CLOSING
                > . 2:2(0) ack 2
                < . 2:2(0) ack 2
                state TIME-WAIT
                ~ closed CLOSED
                """);
    }

    @Test
    void closingIgnoresSegmentsThatDoNotAcknowledgeOurFin() {
        new SegmentScript().run(ESTABLISHED + """
                write 10
                > P. 1:11(10) ack 1
                shutdown
                > F. 11:11(0) ack 1
                < F. 1:1(0) ack 1
                state CLOSING
                > . 12:12(0) ack 2
                # acknowledges our data but not our FIN: taken, and nothing else happens
                < . 2:2(0) ack 11
                var SND.UNA 11
                state CLOSING
                < F. 1:1(0) ack 11
                drop SEQ_UNACCEPTABLE
                > . 12:12(0) ack 2
                < . 2:2(0) ack 12
                state TIME-WAIT
                """);
    }

    @Test
    void finAndAckOfOurFinInOneSegmentGoesStraightToTimeWait() {
        new SegmentScript().run(ESTABLISHED + """
                shutdown
                > F. 1:1(0) ack 1
                < F. 1:1(0) ack 2
                state TIME-WAIT
                > . 2:2(0) ack 2
                ~ closed CLOSED
                """);
    }

    @Test
    void halfCloseOursThenKeepReceiving() {
        new SegmentScript().run(ESTABLISHED + """
                shutdown
                > F. 1:1(0) ack 1
                < . 1:1(0) ack 2
                state FIN-WAIT-2
                < P. 1:1001(1000) ack 2
                > . 2:2(0) ack 1001
                read 1000
                < P. 1001:2001(1000) ack 2
                > . 2:2(0) ack 2001
                !eof
                < FP. 2001:2501(500) ack 2
                > . 2:2(0) ack 2502
                state TIME-WAIT
                read 1500
                eof
                # without close() there is no orphan timeout in FIN-WAIT-2; shown above by data hours later
                """);
    }

    @Test
    void finWait2WaitsForTheHalfClosedPeerIndefinitely() {
        new SegmentScript().run(ESTABLISHED + """
                shutdown
                > F. 1:1(0) ack 1
                < . 1:1(0) ack 2
                +120min
                state FIN-WAIT-2
                < P. 1:11(10) ack 2
                > . 2:2(0) ack 11
                read 10
                """);
    }

    @Test
    void halfCloseTheirsThenKeepSending() {
        new SegmentScript().run(ESTABLISHED + """
                < F. 1:1(0) ack 1
                > . 1:1(0) ack 2
                state CLOSE-WAIT
                eof
                write 2000
                > . 1:1461(1460) ack 2
                > P. 1461:2001(540) ack 2
                < . 2:2(0) ack 2001
                write 100
                > P. 2001:2101(100) ack 2
                < . 2:2(0) ack 2101
                shutdown
                > F. 2101:2101(0) ack 2
                state LAST-ACK
                < . 2:2(0) ack 2102
                state CLOSED
                ~ closed CLOSED
                """);
    }

    @Test
    void finCombinedWithDataInBothDirections() {
        new SegmentScript().run("""
                listen
                < S 0:0(0) win 65535 <mss 1460>
                > S. 0:0(0) ack 1 <mss 1460>
                # the peer's first data, its FIN and the handshake's ACK in one segment
                < FP. 1:101(100) ack 1 win 100
                state CLOSE-WAIT
                > . 1:1(0) ack 102
                ~ open
                read 100
                eof
                # our data exceeds the peer's window: the FIN waits and then rides on the last octets.
                # The 100-octet window is small (less than an MSS and half the largest window offered):
                # sender SWS avoidance holds the data until the override timeout (RFC 9293 §3.8.6.2.1)
                write 150
                shutdown
                state LAST-ACK
                +1s
                > . 1:101(100) ack 102
                < . 102:102(0) ack 101 win 100
                > FP. 101:151(50) ack 102
                < . 102:102(0) ack 152
                state CLOSED
                ~ closed CLOSED
                """);
    }

    @Test
    void dataWrittenAndClosedBeforeTheHandshakeEndsGoesOutWithTheFin() {
        new SegmentScript().run("""
                connect
                > S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 3>
                write 20
                shutdown
                state SYN-SENT
                < S. 100:100(0) ack 1 win 65535
                state FIN-WAIT-1
                > FP. 1:21(20) ack 101
                ~ open
                < F. 101:101(0) ack 22
                > . 22:22(0) ack 102
                state TIME-WAIT
                """);
    }

    @Test
    void closeInSimultaneousOpenSynReceivedIsCarriedOutWhenEstablished() {
        new SegmentScript().run("""
                connect
                > S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 3>
                < S 300:300(0) win 65535 <mss 1460>
                > S. 0:0(0) ack 301 <mss 1460>
                shutdown
                state SYN-RECEIVED
                < . 301:301(0) ack 1
                state FIN-WAIT-1
                > F. 1:1(0) ack 301
                ~ open
                """);
    }

    @Test
    void finIsRetransmittedInFinWait1AndLastAck() {
        new SegmentScript().run(ESTABLISHED + """
                shutdown
                > F. 1:1(0) ack 1
                +1s
                > F. 1:1(0) ack 1
                +2s
                > F. 1:1(0) ack 1
                < . 1:1(0) ack 2
                state FIN-WAIT-2
                +1min
                """);
        new SegmentScript().run(ESTABLISHED + """
                < F. 1:1(0) ack 1
                > . 1:1(0) ack 2
                shutdown
                > F. 1:1(0) ack 2
                +1s
                > F. 1:1(0) ack 2
                < . 2:2(0) ack 2
                state CLOSED
                ~ closed CLOSED
                """);
    }

    @Test
    void retransmittedFinInTimeWaitIsAcknowledgedAndRestartsTheTimer() {
        new SegmentScript().run(ESTABLISHED + """
                shutdown
                > F. 1:1(0) ack 1
                < F. 1:1(0) ack 2
                > . 2:2(0) ack 2
                +50s
                # our ACK was lost; the peer repeats its FIN
                < F. 1:1(0) ack 2
                drop SEQ_UNACCEPTABLE
                > . 2:2(0) ack 2
                +50s
                state TIME-WAIT
                +10s
                state CLOSED
                """);
    }

    @Test
    void dataAfterTheFinIsIgnored() {
        new SegmentScript().run(ESTABLISHED + """
                < F. 1:1(0) ack 1
                > . 1:1(0) ack 2
                # a broken peer sends data after its FIN
                < P. 2:12(10) ack 1
                drop DATA_AFTER_FIN
                readable 0
                eof
                state CLOSE-WAIT
                """);
    }

    @Test
    void dataAfterFinIsIgnoredInClosingLastAckAndTimeWait() {
        new SegmentScript().run(ESTABLISHED + """
                shutdown
                > F. 1:1(0) ack 1
                < F. 1:1(0) ack 1
                > . 2:2(0) ack 2
                state CLOSING
                # not acknowledging our FIN: CLOSING ignores the whole segment at the ACK step
                < P. 2:12(10) ack 1
                drop CLOSING_NOT_FIN_ACK
                < P. 2:12(10) ack 2
                state TIME-WAIT
                drop DATA_AFTER_FIN
                readable 0
                """);
    }

    @Test
    @Rfc9293({"SHLD-3", "MAY-1"})
    void closeWithUnreadDataResets() {
        // RFC 1122 §4.2.2.13: close() with data pending means data was lost: RST, not FIN.
        new SegmentScript().run(ESTABLISHED + """
                < P. 1:11(10) ack 1
                > . 1:1(0) ack 11
                close
                drop DATA_AFTER_CLOSE
                > R 1:1(0)
                state CLOSED
                ~ closed ABORTED
                """);
    }

    @Test
    @Rfc9293({"SHLD-3", "MAY-1"})
    void dataArrivingAfterCloseResets() {
        new SegmentScript().run(ESTABLISHED + """
                close
                > F. 1:1(0) ack 1
                < . 1:1(0) ack 2
                state FIN-WAIT-2
                < P. 1:11(10) ack 2
                drop DATA_AFTER_CLOSE
                > R 2:2(0)
                state CLOSED
                ~ closed ABORTED
                """);
    }

    @Test
    void orphanInFinWait2TimesOut() {
        new SegmentScript().run(ESTABLISHED + """
                close
                > F. 1:1(0) ack 1
                < . 1:1(0) ack 2
                state FIN-WAIT-2
                +59s
                state FIN-WAIT-2
                +1s
                state CLOSED
                ~ closed TIMED_OUT
                """);
    }

    @Test
    void secondCloseIsHarmless() {
        new SegmentScript().run(ESTABLISHED + """
                shutdown
                > F. 1:1(0) ack 1
                shutdown
                close
                state FIN-WAIT-1
                """);
    }

    @Test
    void abortSendsResetAndDiscardsBufferedData() {
        new SegmentScript().run(ESTABLISHED + """
                < P. 1:11(10) ack 1
                > . 1:1(0) ack 11
                < . 11:11(0) ack 1 win 0
                write 100
                abort
                > R 1:1(0)
                state CLOSED
                ~ closed ABORTED
                readable 0
                eof
                write-refused
                """);
    }

    @Test
    void abortInLastAckSendsNothing() {
        new SegmentScript().run(ESTABLISHED + """
                < F. 1:1(0) ack 1
                > . 1:1(0) ack 2
                shutdown
                > F. 1:1(0) ack 2
                abort
                state CLOSED
                ~ closed ABORTED
                """);
    }

    @Test
    @Rfc9293("MAY-2")
    void newSynInTimeWaitReopensTheConnection() {
        // RFC 9293 §3.10.7.4 / RFC 6191 / RFC 1122 §4.2.2.13: SEG.SEQ above the old RCV.NXT.
        SegmentScript s = new SegmentScript().run(ESTABLISHED + """
                shutdown
                > F. 1:1(0) ack 1
                < F. 1:1(0) ack 2
                > . 2:2(0) ack 2
                state TIME-WAIT
                """);
        Connection old = s.current();
        int oldSndMax = old.sndMax;
        s.run("""
                < S 100000:100000(0) win 65535 <mss 1460>
                state SYN-RECEIVED
                forget-iss
                > S. 0:0(0) ack 100001 <mss 1460>
                < . 100001:100001(0) ack 1
                state ESTABLISHED
                ~ open
                """);
        Connection reopened = s.current();
        assertTrue(reopened != old);
        assertTrue(SeqNum.gt(reopened.iss, oldSndMax), "new ISS above the old incarnation's sequence space");
        assertEquals(1, s.counters.get(TcpStat.TIME_WAIT_REOPENED));
    }

    @Test
    void oldSynInTimeWaitIsOnlyAcknowledged() {
        new SegmentScript().run(ESTABLISHED + """
                shutdown
                > F. 1:1(0) ack 1
                < F. 1:1(0) ack 2
                > . 2:2(0) ack 2
                < S 0:0(0) win 65535 <mss 1460>
                drop SEQ_UNACCEPTABLE
                > . 2:2(0) ack 2
                state TIME-WAIT
                """);
    }

    @Test
    void activeCloseByTheClientSide() {
        new SegmentScript().run("""
                connect
                > S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 3>
                < S. 0:0(0) ack 1 win 65535 <mss 1460>
                > . 1:1(0) ack 1
                ~ open
                write 10
                > P. 1:11(10) ack 1
                shutdown
                > F. 11:11(0) ack 1
                < P. 1:6(5) ack 11
                > . 12:12(0) ack 6
                state FIN-WAIT-1
                < F. 6:6(0) ack 12
                > . 12:12(0) ack 7
                state TIME-WAIT
                read 5
                eof
                ~ closed CLOSED
                """);
    }
}
