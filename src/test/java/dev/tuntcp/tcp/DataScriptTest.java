package dev.tuntcp.tcp;

import dev.tuntcp.testing.Rfc9293;
import org.junit.jupiter.api.Test;

/**
 * Data transfer in ESTABLISHED (RFC 9293 §3.8, §3.10.7.4 first, fifth and seventh steps): in-order
 * delivery, an honest receive window, segmentation, retransmission, out-of-order and duplicate
 * segments, window updates, zero windows, and sequence numbers that wrap.
 */
class DataScriptTest {

    private static final String ESTABLISHED = """
            listen
            < S 0:0(0) win 65535 <mss 1460>
            > S. 0:0(0) ack 1 <mss 1460>
            < . 1:1(0) ack 1 win 65535
            ~ open
            """;

    private static final String ESTABLISHED_SMALL_BUFFER = """
            listen
            < S 0:0(0) win 65535 <mss 1460>
            > S. 0:0(0) ack 1 win 1000 <mss 1460>
            < . 1:1(0) ack 1 win 65535
            ~ open
            """;

    private static SegmentScript smallBuffer() {
        return new SegmentScript(TestAllocator.config().receiveBufferSize(1000));
    }

    @Test
    @Rfc9293({"MUST-39", "MUST-40", "SHLD-14", "SHLD-19"})
    void inOrderDataIsDeliveredAndTheWindowTellsTheFreeSpace() {
        smallBuffer().run(ESTABLISHED_SMALL_BUFFER + """
                < P. 1:301(300) ack 1
                > . 1:1(0) ack 301 win 700
                ~ readable
                readable 300
                < P. 301:1001(700) ack 1
                > . 1:1(0) ack 1001 win 0
                var RCV.WND 0
                read 300
                # 300 free: less than half the buffer, so no window update yet (receiver SWS avoidance)
                read 300
                # 600 free: the window update goes out at once
                > . 1:1(0) ack 1001 win 600
                # 1000 free, but 600 are already advertised: no update needed
                read 400
                readable 0
                < P. 1001:1901(900) ack 1
                # the peer overran the 600 advertised: the 100 left free are less than min(half the
                # buffer, MSS), so the right edge stays where it was (RFC 9293 §3.8.6.2.2): window 0
                > . 1:1(0) ack 1901 win 0
                read 900
                > . 1:1(0) ack 1901 win 1000
                """);
    }

    @Test
    @Rfc9293("MAY-8")
    void zeroWindowRefusesDataButStillAcceptsAcks() {
        smallBuffer().run(ESTABLISHED_SMALL_BUFFER + """
                write 10
                > P. 1:11(10) ack 1 win 1000
                < P. 1:1001(1000) ack 1
                > . 11:11(0) ack 1001 win 0
                # a window probe: its octet cannot be taken, but its ACK of our data is processed
                < P. 1001:1002(1) ack 11
                drop ZERO_WINDOW
                > . 11:11(0) ack 1001 win 0
                var SND.UNA 11
                # a bare ACK at RCV.NXT is acceptable in a zero window
                < . 1001:1001(0) ack 11 win 4000
                var SND.WND 4000
                read 1000
                > . 11:11(0) ack 1001 win 1000
                """);
    }

    @Test
    void bareFinIsAcceptedInAZeroWindow() {
        smallBuffer().run(ESTABLISHED_SMALL_BUFFER + """
                < P. 1:1001(1000) ack 1
                > . 1:1(0) ack 1001 win 0
                < F. 1001:1001(0) ack 1
                > . 1:1(0) ack 1002 win 0
                state CLOSE-WAIT
                read 1000
                eof
                """);
    }

    @Test
    void dataBeyondTheWindowIsTrimmed() {
        smallBuffer().run(ESTABLISHED_SMALL_BUFFER + """
                < P. 1:1201(1200) ack 1
                drop BEYOND_WINDOW
                > . 1:1(0) ack 1001 win 0
                read 1000
                > . 1:1(0) ack 1001 win 1000
                < FP. 1001:1201(200) ack 1
                # the FIN takes a sequence number but no buffer: the right edge stays (SWS avoidance)
                > . 1:1(0) ack 1202 win 799
                state CLOSE-WAIT
                read 200
                eof
                """);
    }

    @Test
    void finBeyondTheWindowIsNotProcessed() {
        smallBuffer().run(ESTABLISHED_SMALL_BUFFER + """
                < FP. 1:1101(1100) ack 1
                drop BEYOND_WINDOW
                > . 1:1(0) ack 1001 win 0
                state ESTABLISHED
                """);
    }

    @Test
    @Rfc9293({"MAY-13", "SHLD-31"})
    void outOfOrderSegmentsAreHeldAndDeliveredWhenTheGapFills() {
        // RFC 9293 §3.10.7.4 seventh: segments beyond RCV.NXT "may be held for later processing";
        // each is acknowledged at once (RFC 5681 §4.2 duplicate ACK), and so is the one that fills the gap.
        new SegmentScript().run(ESTABLISHED + """
                < P. 101:201(100) ack 1
                > . 1:1(0) ack 1
                readable 0
                < FP. 201:301(100) ack 1
                > . 1:1(0) ack 1
                state ESTABLISHED
                count OUT_OF_ORDER_QUEUED 2
                < P. 1:101(100) ack 1
                # the gap is filled: the held text and the held FIN follow in sequence
                > . 1:1(0) ack 302
                state CLOSE-WAIT
                read 300
                eof
                """);
    }

    @Test
    void outOfOrderBareFinIsNotProcessed() {
        new SegmentScript().run(ESTABLISHED + """
                < F. 51:51(0) ack 1
                > . 1:1(0) ack 1
                state ESTABLISHED
                """);
    }

    @Test
    void duplicateDataIsAcknowledgedAndOverlapTrimmed() {
        new SegmentScript().run(ESTABLISHED + """
                < P. 1:101(100) ack 1
                > . 1:1(0) ack 101
                # an exact duplicate fails the acceptability test: ACK and drop
                < P. 1:101(100) ack 1
                drop SEQ_UNACCEPTABLE
                > . 1:1(0) ack 101
                # overlap: the first 50 octets are old, the next 50 new
                < P. 51:151(100) ack 1
                > . 1:1(0) ack 151
                read 150
                """);
    }

    @Test
    @Rfc9293("SHLD-28")
    void sendSegmentsToTheMssAndWithinThePeerWindow() {
        new SegmentScript().run("""
                listen
                < S 0:0(0) win 2000 <mss 1000>
                > S. 0:0(0) ack 1 <mss 1460>
                < . 1:1(0) ack 1 win 2500
                ~ open
                write 4000
                > . 1:1001(1000) ack 1
                > . 1001:2001(1000) ack 1
                # the 500 octets left in the window are less than an MSS and less than half the largest
                # window: sender SWS avoidance (RFC 9293 §3.8.6.2.1) waits for the ACK instead
                < . 1:1(0) ack 1001 win 2500
                > . 2001:3001(1000) ack 1
                < . 1:1(0) ack 3001 win 2500
                > P. 3001:4001(1000) ack 1
                < . 1:1(0) ack 4001 win 2500
                var SND.UNA 4001
                """);
    }

    @Test
    void retransmissionOnTimeoutWithExponentialBackoff() {
        new SegmentScript().run(ESTABLISHED + """
                write 100
                > P. 1:101(100) ack 1
                +999ms
                +1ms
                > P. 1:101(100) ack 1
                +1999ms
                +1ms
                > P. 1:101(100) ack 1
                < . 1:1(0) ack 101
                # all acknowledged: the timer is off
                +1min
                """);
    }

    @Test
    void timeoutResendsOnlyTheEarliestSegmentAndAcksPullTheRest() {
        new SegmentScript().run(ESTABLISHED + """
                write 3000
                > . 1:1461(1460) ack 1
                > . 1461:2921(1460) ack 1
                > P. 2921:3001(80) ack 1
                +1s
                > . 1:1461(1460) ack 1
                < . 1:1(0) ack 1461
                > . 1461:2921(1460) ack 1
                > P. 2921:3001(80) ack 1
                < . 1:1(0) ack 3001
                +1min
                """);
    }

    @Test
    void ackOfLaterDataAfterATimeoutMovesSndNxtForward() {
        new SegmentScript().run(ESTABLISHED + """
                write 3000
                > . 1:1461(1460) ack 1
                > . 1461:2921(1460) ack 1
                > P. 2921:3001(80) ack 1
                +1s
                > . 1:1461(1460) ack 1
                # the original segments had arrived after all: everything is acknowledged
                < . 1:1(0) ack 3001
                var SND.NXT 3001
                +1min
                """);
    }

    @Test
    @Rfc9293("MUST-20")
    void dataRetriesExhaustedTimesTheConnectionOut() {
        new SegmentScript(SegmentScript.config().dataRetries(2)).run(ESTABLISHED + """
                write 10
                > P. 1:11(10) ack 1
                +1s
                > P. 1:11(10) ack 1
                +2s
                > P. 1:11(10) ack 1
                +4s
                state CLOSED
                ~ closed TIMED_OUT
                """);
    }

    @Test
    @Rfc9293("MUST-21")
    void theApplicationSetsR2ForOneConnection() {
        // The stack's default (10) would keep retrying for minutes; this connection gives up after one.
        new SegmentScript().run(ESTABLISHED + """
                retries 1
                write 10
                > P. 1:11(10) ack 1
                +1s
                > P. 1:11(10) ack 1
                +1999ms
                state ESTABLISHED
                +1ms
                state CLOSED
                ~ closed TIMED_OUT
                """);
    }

    @Test
    @Rfc9293("MUST-36")
    void zeroWindowFromThePeerIsProbed() {
        new SegmentScript().run(ESTABLISHED + """
                < . 1:1(0) ack 1 win 0
                write 10
                +1s
                > . 1:2(1) ack 1
                < . 1:1(0) ack 1 win 0
                +2s
                > . 1:2(1) ack 1
                < . 1:1(0) ack 2 win 100
                > P. 2:11(9) ack 1
                < . 1:1(0) ack 11 win 100
                +10min
                state ESTABLISHED
                """);
    }

    @Test
    void ackOfUnsentDataIsAnsweredWithAnAck() {
        new SegmentScript().run(ESTABLISHED + """
                < P. 1:11(10) ack 500
                drop ACK_UNSENT
                > . 1:1(0) ack 1
                readable 0
                """);
    }

    @Test
    @Rfc9293("MAY-12")
    void ackOlderThanTheLargestWindowIsDropped() {
        // RFC 5961 §5: SEG.ACK must be >= SND.UNA - MAX.SND.WND.
        new SegmentScript().run("""
                listen
                < S 0:0(0) win 100 <mss 1460>
                > S. 0:0(0) ack 1 <mss 1460>
                < . 1:1(0) ack 1 win 100
                ~ open
                < P. 1:11(10) ack 4294967000
                drop ACK_TOO_OLD
                > . 1:1(0) ack 1
                # an ACK just inside MAX.SND.WND is only a duplicate: its data is taken
                < P. 1:11(10) ack 4294967197
                > . 1:1(0) ack 11
                """);
    }

    @Test
    void segmentWithoutAckBitIsDropped() {
        new SegmentScript().run(ESTABLISHED + """
                < P 1:11(10)
                drop NO_ACK
                readable 0
                """);
    }

    @Test
    void anOlderSegmentDoesNotUpdateTheSendWindow() {
        // SND.WL1/SND.WL2 (§3.10.7.4 fifth): only a newer segment may change SND.WND.
        new SegmentScript().run(ESTABLISHED + """
                < . 101:201(100) ack 1 win 5000
                > . 1:1(0) ack 1
                var SND.WND 5000
                < . 1:1(0) ack 1 win 100
                var SND.WND 5000
                < . 101:101(0) ack 1 win 300
                var SND.WND 300
                """);
    }

    @Test
    @Rfc9293("MUST-30")
    void urgentDataIsDeliveredInline() {
        new SegmentScript().run(ESTABLISHED + """
                < UP. 1:11(10) ack 1 urg 5
                > . 1:1(0) ack 11
                read 10
                """);
    }

    @Test
    void fullSendBufferTakesWhatFitsAndSignalsWritable() {
        new SegmentScript(TestAllocator.config().sendBufferSize(1000)).run("""
                listen
                < S 0:0(0) win 500 <mss 1460>
                > S. 0:0(0) ack 1 <mss 1460>
                < . 1:1(0) ack 1 win 500
                ~ open
                write 1500 -> 1000
                > . 1:501(500) ack 1
                ~ !writable
                < . 1:1(0) ack 501 win 500
                > P. 501:1001(500) ack 1
                ~ writable
                write 500
                < . 1:1(0) ack 1001 win 500
                > P. 1001:1501(500) ack 1
                """);
    }

    @Test
    void sequenceNumbersWrapAroundInBothDirections() {
        SegmentScript s = new SegmentScript(TestAllocator.config().isnGenerator((a, b, c, d) -> 0xFFFFFE00));
        s.run("""
                listen
                < S 4294966796:4294966796(0) win 65535 <mss 1000>
                > S. 0:0(0) ack 4294966797 <mss 1460>
                < . 4294966797:4294966797(0) ack 1 win 65535
                ~ open
                < P. 4294966797:1297(1796) ack 1
                > . 1:1(0) ack 1297
                read 1796
                write 1500
                > . 1:1001(1000) ack 1297
                > P. 1001:1501(500) ack 1297
                < . 1297:1297(0) ack 1501
                var SND.UNA 1501
                """);
    }

    @Test
    void activeOpenAdvertisesAnHonestWindowWhateverThePeerIsn() {
        // Regression: the SYN's window edge must not be taken relative to an unknown RCV.NXT.
        new SegmentScript(TestAllocator.config().receiveBufferSize(1000)).run("""
                connect
                > S 0:0(0) win 1000 <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 0>
                < S. 2147549082:2147549082(0) ack 1 win 65535
                > . 1:1(0) ack 2147549083 win 1000
                ~ open
                < P. 2147549083:2147549583(500) ack 1
                > . 1:1(0) ack 2147549583 win 500
                read 500
                > . 1:1(0) ack 2147549583 win 1000
                """);
    }
}
