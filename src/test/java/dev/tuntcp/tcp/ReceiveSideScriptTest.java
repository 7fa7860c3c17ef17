package dev.tuntcp.tcp;

import dev.tuntcp.testing.Rfc9293;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The receive side of issue 7 item 4, segment by segment: SACK blocks sent (RFC 2018 §4: the first
 * reports the most recent arrival, then the most recently reported ones; four fit, three beside
 * timestamps), D-SACK (RFC 2883 §4) for a duplicate below RCV.NXT, above it, and partly below it,
 * delayed ACK (RFC 9293 §3.8.6.3, RFC 1122 §4.2.3.2, RFC 5681 §4.2), and the receiver's
 * silly-window avoidance (RFC 9293 §3.8.6.2.2).
 */
class ReceiveSideScriptTest {

    /** Passive open with SACK-permitted and nothing else: no timestamps, so four blocks fit. */
    private static final String ESTABLISHED_SACK = """
            listen
            < S 0:0(0) win 65535 <mss 1460,sackOK>
            > S. 0:0(0) ack 1 <mss 1460,sackOK>
            < . 1:1(0) ack 1 win 65535
            ~ open
            """;

    /** Passive open with SACK-permitted and timestamps (peer's TSvals from 991): three blocks fit. */
    private static final String ESTABLISHED_SACK_TS = """
            listen
            < S 1000:1000(0) win 64240 <mss 1460,sackOK,TS val 991 ecr 0>
            > S. 0:0(0) ack 1001 <mss 1460,sackOK,TS val 0 ecr 991>
            < . 1001:1001(0) ack 1 win 64240 <nop,nop,TS val 992 ecr 0>
            ~ open
            """;

    private static final String ESTABLISHED = """
            listen
            < S 0:0(0) win 65535 <mss 1460>
            > S. 0:0(0) ack 1 <mss 1460>
            < . 1:1(0) ack 1 win 65535
            ~ open
            """;

    private static SegmentScript delayedAcks() {
        return new SegmentScript(SegmentScript.config().delayedAckNanos(TimeUnit.MILLISECONDS.toNanos(40)));
    }

    @Test
    @Rfc9293("MAY-13")
    void sackBlocksReportTheMostRecentArrivalFirstAndFourFitWithoutTimestamps() {
        new SegmentScript().run(ESTABLISHED_SACK + """
                < P. 101:201(100) ack 1
                > . 1:1(0) ack 1 <sack 1 {101:201}>
                < P. 301:401(100) ack 1
                > . 1:1(0) ack 1 <sack 2 {301:401} {101:201}>
                < P. 501:601(100) ack 1
                > . 1:1(0) ack 1 <sack 3 {501:601} {301:401} {101:201}>
                < P. 701:801(100) ack 1
                > . 1:1(0) ack 1 <sack 4 {701:801} {501:601} {301:401} {101:201}>
                # a fifth run: the oldest report gives way
                < P. 901:1001(100) ack 1
                > . 1:1(0) ack 1 <sack 4 {901:1001} {701:801} {501:601} {301:401}>
                # a segment that joins two runs: the joined run goes first, its parts are gone
                < P. 201:301(100) ack 1
                > . 1:1(0) ack 1 <sack 4 {101:401} {901:1001} {701:801} {501:601}>
                readable 0
                # the left edge fills: RCV.NXT moves over the held run, acknowledged blocks go
                < P. 1:101(100) ack 1
                > . 1:1(0) ack 401 <sack 3 {901:1001} {701:801} {501:601}>
                readable 400
                read 400
                < P. 401:501(100) ack 1
                > . 1:1(0) ack 601 <sack 2 {901:1001} {701:801}>
                < P. 601:701(100) ack 1
                > . 1:1(0) ack 801 <sack 1 {901:1001}>
                < P. 801:901(100) ack 1
                > . 1:1(0) ack 1001
                read 600
                count OUT_OF_ORDER_QUEUED 6
                """);
    }

    @Test
    void besideTimestampsThreeSackBlocksFit() {
        new SegmentScript().run(ESTABLISHED_SACK_TS + """
                < P. 1101:1201(100) ack 1 <nop,nop,TS val 1000 ecr 0>
                > . 1:1(0) ack 1001 <TS val 0 ecr 992,sack 1 {1101:1201}>
                < P. 1301:1401(100) ack 1 <nop,nop,TS val 1001 ecr 0>
                > . 1:1(0) ack 1001 <TS val 0 ecr 992,sack 2 {1301:1401} {1101:1201}>
                < P. 1501:1601(100) ack 1 <nop,nop,TS val 1002 ecr 0>
                > . 1:1(0) ack 1001 <TS val 0 ecr 992,sack 3 {1501:1601} {1301:1401} {1101:1201}>
                < P. 1701:1801(100) ack 1 <nop,nop,TS val 1003 ecr 0>
                > . 1:1(0) ack 1001 <TS val 0 ecr 992,sack 3 {1701:1801} {1501:1601} {1301:1401}>
                """);
    }

    @Test
    void duplicatesAreReportedInDsackBlocks() {
        new SegmentScript().run(ESTABLISHED_SACK + """
                < P. 1:101(100) ack 1
                > . 1:1(0) ack 101
                # RFC 2883 §4.1.1: a duplicate below RCV.NXT, reported once as the first block
                < P. 1:101(100) ack 1
                drop SEQ_UNACCEPTABLE
                > . 1:1(0) ack 101 <sack 1 {1:101}>
                < P. 201:301(100) ack 1
                > . 1:1(0) ack 101 <sack 1 {201:301}>
                # RFC 2883 §4.1.3: a duplicate of held data: the D-SACK block, then the run holding it
                < P. 201:301(100) ack 1
                > . 1:1(0) ack 101 <sack 2 {201:301} {201:301}>
                # partly old (RFC 2883 §4.1.1): the old part is the D-SACK block
                < P. 51:151(100) ack 1
                > . 1:1(0) ack 151 <sack 2 {51:101} {201:301}>
                # the report is spent: the next ACK carries the plain SACK block only
                < P. 401:501(100) ack 1
                > . 1:1(0) ack 151 <sack 2 {401:501} {201:301}>
                count DUPLICATE_SEGMENTS 3
                read 150
                """);
    }

    @Test
    @Rfc9293({"SHLD-18", "MUST-40", "SHLD-19"})
    void delayedAckWaitsAtMostTheDelayAndAcksEverySecondFullSegment() {
        delayedAcks().run(ESTABLISHED + """
                < P. 1:1461(1460) ack 1
                +39ms
                +1ms
                > . 1:1(0) ack 1461
                count DELAYED_ACKS 1
                # every second full-sized segment is acknowledged at once
                < P. 1461:2921(1460) ack 1
                < P. 2921:4381(1460) ack 1
                > . 1:1(0) ack 4381
                +40ms
                # out-of-order data: an immediate duplicate ACK
                < P. 5841:7301(1460) ack 1
                > . 1:1(0) ack 4381
                # data that fills the gap: an immediate ACK
                < P. 4381:5841(1460) ack 1
                > . 1:1(0) ack 7301
                +40ms
                count DELAYED_ACKS 1
                read 7300
                """);
    }

    @Test
    @Rfc9293({"MUST-58", "MUST-59"})
    void aBatchOfInOrderSegmentsGetsOneCumulativeAckAndOutOfOrderDataStillAnImmediateOne() {
        delayedAcks().run(ESTABLISHED + """
                # four full segments read by one poll: one ACK for all of them, at the batch's end
                batch
                < P. 1:1461(1460) ack 1
                < P. 1461:2921(1460) ack 1
                < P. 2921:4381(1460) ack 1
                < P. 4381:5841(1460) ack 1
                end-batch
                > . 1:1(0) ack 5841
                +40ms
                count DELAYED_ACKS 0
                # inside a batch, out-of-order data is acknowledged at once, and so is the gap fill
                batch
                < P. 7301:8761(1460) ack 1
                > . 1:1(0) ack 5841
                < P. 5841:7301(1460) ack 1
                > . 1:1(0) ack 8761
                < P. 8761:10221(1460) ack 1
                < P. 10221:11681(1460) ack 1
                end-batch
                > . 1:1(0) ack 11681
                # a batch with one full segment: acknowledged when the batch ends, not 40 ms later
                batch
                < P. 11681:13141(1460) ack 1
                end-batch
                > . 1:1(0) ack 13141
                # a batch with one short segment: the delayed ACK's timer, as outside a batch
                batch
                < P. 13141:13241(100) ack 1
                end-batch
                +40ms
                > . 1:1(0) ack 13241
                count DELAYED_ACKS 1
                read 13240
                """);
    }

    @Test
    void aLongBatchStillAcknowledgesEvery64KiB() {
        StringBuilder script = new StringBuilder(ESTABLISHED).append("batch\n");
        int seq = 1;
        for (int i = 0; i < 46; i++) {
            script.append("< P. ").append(seq).append(':').append(seq + 1460).append("(1460) ack 1\n");
            seq += 1460;
            if (i == 44) {
                // 45 segments: 65 700 octets, past the 64 KiB a GRO aggregate may hold
                script.append("> . 1:1(0) ack ").append(seq).append('\n');
            }
        }
        // the 46th, one full segment after that ACK, is acknowledged when the batch ends
        script.append("end-batch\n> . 1:1(0) ack ").append(seq).append("\n+40ms\ncount DELAYED_ACKS 0\nread ")
                .append(seq - 1).append('\n');
        delayedAcks().run(script.toString());
    }

    @Test
    void theDelayedAckRidesOnTheAnswer() {
        delayedAcks().run(ESTABLISHED + """
                < P. 1:11(10) ack 1
                +10ms
                read 10
                write 5
                > P. 1:6(5) ack 11
                +40ms
                count DELAYED_ACKS 0
                """);
    }

    @Test
    void theDelayedAckRidesOnTheApplicationsFin() {
        delayedAcks().run(ESTABLISHED + """
                < P. 1:11(10) ack 1
                +5ms
                read 10
                shutdown
                # one segment: the FIN carries the ACK of the data
                > F. 1:1(0) ack 11
                state FIN-WAIT-1
                +40ms
                count DELAYED_ACKS 0
                """);
    }

    @Test
    void aFinIsAcknowledgedAtOnce() {
        delayedAcks().run(ESTABLISHED + """
                < P. 1:11(10) ack 1
                < F. 11:11(0) ack 1
                > . 1:1(0) ack 12
                state CLOSE-WAIT
                """);
    }
}
