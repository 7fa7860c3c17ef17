package dev.tuntcp.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tuntcp.testing.Rfc9293;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Opening a connection (RFC 9293 §3.5 and §3.10.7.1-§3.10.7.3): passive and active open, the
 * simultaneous open, the MSS option, and every way a SYN or an ACK is turned away.
 */
class HandshakeScriptTest {

    @Test
    @Rfc9293({"MUST-14", "SHLD-5", "MAY-3"})
    void passiveOpenThreeWayHandshake() {
        new SegmentScript().run("""
                listen
                < S 0:0(0) win 65535 <mss 1460>
                state SYN-RECEIVED
                > S. 0:0(0) ack 1 win 65535 <mss 1460>
                < . 1:1(0) ack 1 win 65535
                state ESTABLISHED
                ~ open
                var SND.UNA 1
                var SND.NXT 1
                var RCV.NXT 1
                var SND.MSS 1460
                """);
    }

    @Test
    void optionsTurnedOffAreNotAnsweredAndNeverBreakTheHandshake() {
        new SegmentScript(TestAllocator.config().windowScaling(false).timestamps(false).sack(false)).run("""
                listen
                < S 1000:1000(0) win 64240 <mss 1460,sackOK,TS val 991 ecr 0,nop,wscale 7>
                > S. 0:0(0) ack 1001 <mss 1460>
                < . 1001:1001(0) ack 1 win 502
                state ESTABLISHED
                ~ open
                var SND.WND 502
                """);
    }

    @Test
    @Rfc9293({"MUST-14", "MUST-16", "MUST-60", "MUST-61", "SHLD-27", "SHLD-28"})
    void peerMssIsHonouredWhenSegmenting() {
        new SegmentScript().run("""
                listen
                < S 0:0(0) win 65535 <mss 100>
                > S. 0:0(0) ack 1 <mss 1460>
                < . 1:1(0) ack 1 win 65535
                ~ open
                var SND.MSS 100
                write 250
                > . 1:101(100) ack 1
                > . 101:201(100) ack 1
                > P. 201:251(50) ack 1
                < . 1:1(0) ack 251
                var SND.UNA 251
                """);
    }

    @Test
    @Rfc9293("MUST-15")
    void withoutAnMssOptionTheDefault536IsUsed() {
        new SegmentScript().run("""
                listen
                < S 0:0(0) win 65535
                > S. 0:0(0) ack 1 <mss 1460>
                < . 1:1(0) ack 1
                var SND.MSS 536
                write 600
                > . 1:537(536) ack 1
                > P. 537:601(64) ack 1
                < . 1:1(0) ack 601
                """);
    }

    @Test
    @Rfc9293("MUST-16")
    void ourMssCapsALargerPeerMss() {
        new SegmentScript(TestAllocator.config().mss(500)).run("""
                listen
                < S 0:0(0) win 65535 <mss 9000>
                > S. 0:0(0) ack 1 <mss 500>
                < . 1:1(0) ack 1
                var SND.MSS 500
                """);
    }

    @Test
    void aRepeatedSynInSynReceivedRepeatsTheSynAck() {
        new SegmentScript().run("""
                listen
                < S 0:0(0) win 65535 <mss 1460>
                > S. 0:0(0) ack 1 <mss 1460>
                < S 0:0(0) win 65535 <mss 1460>
                > S. 0:0(0) ack 1 <mss 1460>
                < . 1:1(0) ack 1
                state ESTABLISHED
                ~ open
                """);
    }

    @Test
    void synAckIsRetransmittedWithBackoffThenTheHalfOpenConnectionIsDropped() {
        new SegmentScript(TestAllocator.config().synRetries(2)).run("""
                listen
                < S 0:0(0) win 65535 <mss 1460>
                > S. 0:0(0) ack 1 <mss 1460>
                +999ms
                +1ms
                > S. 0:0(0) ack 1 <mss 1460>
                +1999ms
                +1ms
                > S. 0:0(0) ack 1 <mss 1460>
                +3999ms
                state SYN-RECEIVED
                +1ms
                state CLOSED
                ~ !closed TIMED_OUT
                # back in LISTEN: a new SYN is accepted
                < S 500:500(0) win 65535 <mss 1460>
                forget-iss
                > S. 0:0(0) ack 501 <mss 1460>
                """);
    }

    @Test
    @Rfc9293("MUST-14")
    void activeOpenThreeWayHandshake() {
        new SegmentScript().run("""
                connect
                state SYN-SENT
                > S 0:0(0) win 65535 <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 3>
                < S. 5000:5000(0) ack 1 win 30000 <mss 1200>
                state ESTABLISHED
                > . 1:1(0) ack 5001 win 65535
                ~ open
                var SND.WND 30000
                var SND.MSS 1200
                var RCV.NXT 5001
                """);
    }

    @Test
    @Rfc9293("MUST-22")
    void synIsRetransmittedWithExponentialBackoffThenTheOpenTimesOut() {
        new SegmentScript(TestAllocator.config().synRetries(3)).run("""
                connect
                > S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 3>
                +1s
                > S 0:0(0) <mss 1460,sackOK,TS val 1000 ecr 0,nop,wscale 3>
                +2s
                > S 0:0(0) <mss 1460,sackOK,TS val 3000 ecr 0,nop,wscale 3>
                +4s
                > S 0:0(0) <mss 1460,sackOK,TS val 7000 ecr 0,nop,wscale 3>
                +7999ms
                state SYN-SENT
                +1ms
                state CLOSED
                ~ closed TIMED_OUT
                """);
    }

    @Test
    void activeOpenRefusedByReset() {
        new SegmentScript().run("""
                connect
                > S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 3>
                < R. 0:0(0) ack 1 win 0
                state CLOSED
                ~ closed REFUSED
                """);
    }

    @Test
    void synSentIgnoresResetWithoutAck() {
        new SegmentScript().run("""
                connect
                > S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 3>
                < R 0:0(0) win 0
                drop SYN_SENT_RST_NO_ACK
                state SYN-SENT
                """);
    }

    @Test
    void oldDuplicateSynAckInSynSentIsAnsweredWithReset() {
        // RFC 9293 §3.5 Figure 9: the reason for the three-way handshake. The stale SYN/ACK
        // acknowledges some other ISN; we answer <SEQ=SEG.ACK><CTL=RST> and keep waiting for the right one.
        new SegmentScript().run("""
                connect
                > S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 3>
                < S. 9000:9000(0) ack 4000 win 65535 <mss 1460>
                drop SYN_SENT_BAD_ACK
                > R 4000:4000(0)
                state SYN-SENT
                # an ACK of exactly ISS (SEG.ACK =< ISS) is just as bad
                < S. 9000:9000(0) ack 0 win 65535
                drop SYN_SENT_BAD_ACK
                > R 0:0(0)
                # a bad ACK with RST set is dropped without answer
                < R. 9000:9000(0) ack 4000
                drop SYN_SENT_BAD_ACK
                state SYN-SENT
                < S. 5000:5000(0) ack 1 win 65535 <mss 1460>
                > . 1:1(0) ack 5001
                state ESTABLISHED
                ~ open
                """);
    }

    @Test
    void synSentDropsSegmentsWithNeitherSynNorRst() {
        new SegmentScript().run("""
                connect
                > S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 3>
                < . 7:7(0) ack 1
                drop SYN_SENT_NO_SYN
                < P 7:17(10)
                drop SYN_SENT_NO_SYN
                state SYN-SENT
                """);
    }

    @Test
    void synAckCarryingDataAndFinIsProcessedAfterTheHandshake() {
        new SegmentScript().run("""
                connect
                > S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 3>
                < SF. 100:110(10) ack 1 win 65535
                state CLOSE-WAIT
                > . 1:1(0) ack 112
                ~ open
                ~ readable
                read 10
                eof
                """);
    }

    @Test
    void dataWrittenInSynSentGoesOutWithTheHandshakeAck() {
        new SegmentScript().run("""
                connect
                > S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 3>
                write 20
                < S. 100:100(0) ack 1 win 65535
                > P. 1:21(20) ack 101
                ~ open
                """);
    }

    @Test
    @Rfc9293("MUST-10")
    void simultaneousOpen() {
        // RFC 9293 §3.5 Figure 8: both SYNs cross; each side goes SYN-SENT → SYN-RECEIVED → ESTABLISHED.
        new SegmentScript().run("""
                connect
                > S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 3>
                < S 300:300(0) win 65535 <mss 1460>
                state SYN-RECEIVED
                > S. 0:0(0) ack 301 <mss 1460>
                < S. 300:300(0) ack 1 win 65535 <mss 1460>
                state ESTABLISHED
                ~ open
                write 5
                > P. 1:6(5) ack 301
                """);
    }

    @Test
    @Rfc9293("MUST-10")
    void simultaneousOpenCompletedByABareAck() {
        new SegmentScript().run("""
                connect
                > S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 3>
                < S 300:300(0) win 65535 <mss 1460>
                > S. 0:0(0) ack 301 <mss 1460>
                < . 301:301(0) ack 1 win 65535
                state ESTABLISHED
                ~ open
                """);
    }

    @Test
    @Rfc9293("MUST-11")
    void simultaneousOpenResetMeansRefused() {
        new SegmentScript().run("""
                connect
                > S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 3>
                < S 300:300(0) win 65535 <mss 1460>
                > S. 0:0(0) ack 301 <mss 1460>
                < R 301:301(0)
                state CLOSED
                ~ closed REFUSED
                """);
    }

    @Test
    void synToClosedPortGetsResetAck() {
        // RFC 9293 §3.10.7.1: ACK bit off → <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
        new SegmentScript().run("""
                < S 1000:1000(0) win 65535 <mss 1460>
                drop CLOSED_PORT
                > R. 0:0(0) ack 1001 win 0
                < P 2000:2010(10)
                drop CLOSED_PORT
                > R. 0:0(0) ack 2010
                """);
    }

    @Test
    void ackToClosedPortGetsResetAtItsAckNumber() {
        new SegmentScript().run("""
                < . 1000:1000(0) ack 77777 win 65535
                drop CLOSED_PORT
                > R 77777:77777(0)
                < R 5:5(0)
                drop CLOSED_RST
                < R. 5:5(0) ack 9
                drop CLOSED_RST
                """);
    }

    @Test
    void ackToListenGetsReset() {
        new SegmentScript().run("""
                listen
                < . 1000:1000(0) ack 4242 win 65535
                drop LISTEN_ACK
                > R 4242:4242(0)
                state CLOSED
                < SF. 1000:1000(0) ack 99
                drop LISTEN_ACK
                > R 99:99(0)
                """);
    }

    @Test
    void resetToListenIsIgnoredAndOtherSegmentsDropped() {
        new SegmentScript().run("""
                listen
                < R 1000:1000(0)
                drop LISTEN_RST
                < F 1000:1000(0)
                drop LISTEN_NO_SYN
                < P 1000:1010(10)
                drop LISTEN_NO_SYN
                < S 0:0(0) <mss 1460>
                > S. 0:0(0) ack 1 <mss 1460>
                """);
    }

    @Test
    void dataOnASynIsNotQueued() {
        new SegmentScript().run("""
                listen
                < S 0:10(10) win 65535 <mss 1460>
                drop SYN_DATA_IGNORED
                > S. 0:0(0) ack 1 <mss 1460>
                < P. 1:11(10) ack 1
                > . 1:1(0) ack 11
                ~ open
                read 10
                """);
    }

    @Test
    void backlogBoundsHalfOpenConnections() {
        // Without SYN cookies (SynCookiesTest covers the overflow with them).
        SegmentScript s = new SegmentScript(TestAllocator.config().synCookies(false)).run("""
                listen backlog 1
                < S 0:0(0) <mss 1460>
                > S. 0:0(0) ack 1 <mss 1460>
                remote-port 40001
                < S 0:0(0) <mss 1460>
                drop LISTEN_BACKLOG_FULL
                state CLOSED
                remote-port 40000
                < . 1:1(0) ack 1
                state ESTABLISHED
                ~ open
                remote-port 40001
                forget-iss
                < S 0:0(0) <mss 1460>
                > S. 0:0(0) ack 1 <mss 1460>
                state SYN-RECEIVED
                """);
        assertEquals(1, s.layer.listener(SegmentScript.LOCAL_PORT).halfOpenCount());
    }

    @Test
    void synReceivedBadAckIsAnsweredWithReset() {
        new SegmentScript().run("""
                listen
                < S 0:0(0) <mss 1460>
                > S. 0:0(0) ack 1 <mss 1460>
                < . 1:1(0) ack 5000
                drop SYN_RECEIVED_BAD_ACK
                > R 5000:5000(0)
                state SYN-RECEIVED
                < . 1:1(0) ack 0
                drop SYN_RECEIVED_BAD_ACK
                > R 0:0(0)
                < . 1:1(0) ack 1
                state ESTABLISHED
                ~ open
                """);
    }

    @Test
    void synReceivedWithoutAckBitIsDropped() {
        new SegmentScript().run("""
                listen
                < S 0:0(0) <mss 1460>
                > S. 0:0(0) ack 1 <mss 1460>
                < P 1:11(10)
                drop NO_ACK
                state SYN-RECEIVED
                """);
    }

    @Test
    void listenerRefusingTheConnectionResetsItAfterTheHandshake() {
        SegmentScript s = new SegmentScript();
        s.layer.listen(SegmentScript.LOCAL, SegmentScript.LOCAL_PORT, 4, () -> null);
        s.run("""
                < S 0:0(0) <mss 1460>
                > S. 0:0(0) ack 1 <mss 1460>
                < . 1:1(0) ack 1
                drop HANDLER_REFUSED
                > R 1:1(0)
                state CLOSED
                """);
    }

    @Test
    void closingTheListenerResetsItsHalfOpenConnections() {
        SegmentScript s = new SegmentScript().run("""
                listen
                < S 0:0(0) <mss 1460>
                > S. 0:0(0) ack 1 <mss 1460>
                """);
        s.layer.listener(SegmentScript.LOCAL_PORT).close();
        assertNull(s.layer.listener(SegmentScript.LOCAL_PORT));
        s.run("""
                > R 1:1(0)
                state CLOSED
                forget-iss
                < S 0:0(0) <mss 1460>
                drop CLOSED_PORT
                > R. 0:0(0) ack 1
                """);
    }

    @Test
    void closeInSynSentDeletesTheConnectionWithoutASegment() {
        new SegmentScript().run("""
                connect
                > S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 3>
                close
                state CLOSED
                ~ closed CLOSED
                +10s
                """);
    }

    @Test
    void abortInSynSentSendsNothing() {
        new SegmentScript().run("""
                connect
                > S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 3>
                abort
                state CLOSED
                ~ closed ABORTED
                < S. 0:0(0) ack 1
                drop CLOSED_PORT
                > R 1:1(0)
                """);
    }

    @Test
    @Rfc9293({"MUST-8", "SHLD-1"})
    void isnsFollowRfc6528() {
        long nanos = TimeUnit.SECONDS.toNanos(5);
        dev.tuntcp.stack.VirtualClock clock = new dev.tuntcp.stack.VirtualClock(nanos);
        KeyedIsnGenerator g = new KeyedIsnGenerator(clock, 1, 2);
        int a = g.initialSequenceNumber(1, 2, 3, 4);
        clock.advance(TimeUnit.MILLISECONDS.toNanos(1));
        // the 4-microsecond clock moved 250 ticks; the hash of the same tuple is unchanged
        assertEquals(250, g.initialSequenceNumber(1, 2, 3, 4) - a);
        int other = g.initialSequenceNumber(1, 2, 3, 5);
        org.junit.jupiter.api.Assertions.assertNotEquals(a + 250, other);
    }
}
