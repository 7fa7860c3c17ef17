package dev.tuntcp.tcp;

import dev.tuntcp.testing.Rfc9293;
import org.junit.jupiter.api.Test;

/**
 * The sender's loss recovery, segment by segment: RFC 6928 initial window, RFC 5681 slow start, fast
 * retransmit on the third duplicate ACK with RFC 3042 limited transmit before it, RFC 6582 partial
 * ACKs, RFC 6675 SACK recovery, RFC 6298 RTO computation, backoff, Karn's algorithm and the retry
 * limit. The peer's MSS is 1000 so that windows read in round numbers.
 */
class LossRecoveryScriptTest {

    /** The stack's default configuration (200 ms minimum RTO), not the script harness's 1 s. */
    static SegmentScript script() {
        return new SegmentScript(TestAllocator.config());
    }

    /** Listening, the peer's MSS 1000 and no other option; established at t = 0. */
    static final String ESTABLISHED = """
            listen
            < S 0:0(0) win 65535 <mss 1000>
            > S. 0:0(0) ack 1
            < . 1:1(0) ack 1 win 65535
            ~ open
            """;

    private static final String TEN_SEGMENTS = """
            > . 1:1001(1000) ack 1
            > . 1001:2001(1000) ack 1
            > . 2001:3001(1000) ack 1
            > . 3001:4001(1000) ack 1
            > . 4001:5001(1000) ack 1
            > . 5001:6001(1000) ack 1
            > . 6001:7001(1000) ack 1
            > . 7001:8001(1000) ack 1
            > . 8001:9001(1000) ack 1
            > . 9001:10001(1000) ack 1
            """;

    @Test
    @Rfc9293("MUST-19")
    void fastRetransmitOnTheThirdDuplicateAckAfterLimitedTransmitThenPartialAck() {
        script().run(ESTABLISHED + """
                # RFC 6928: IW = min(10*MSS, max(2*MSS, 14600)) = 10 segments of 1000
                var CWND 10000
                write 14000
                """ + TEN_SEGMENTS + """
                < . 1:1(0) ack 1001
                # slow start: cwnd + 1 MSS, so two segments follow the one acknowledged
                var CWND 11000
                > . 10001:11001(1000) ack 1
                > . 11001:12001(1000) ack 1
                # 1001:2001 was lost. First and second duplicate: one new segment each (RFC 3042)
                < . 1:1(0) ack 1001
                > . 12001:13001(1000) ack 1
                < . 1:1(0) ack 1001
                > P. 13001:14001(1000) ack 1
                count LIMITED_TRANSMITS 2
                var CWND 11000
                count FAST_RETRANSMITS 0
                # third duplicate: fast retransmit; ssthresh = FlightSize / 2, cwnd = ssthresh + 3 MSS
                < . 1:1(0) ack 1001
                > . 1001:2001(1000) ack 1
                count FAST_RETRANSMITS 1
                var SSTHRESH 6500
                var CWND 9500
                # a further duplicate inflates cwnd by one MSS (RFC 6582 §3.2 step 3)
                < . 1:1(0) ack 1001
                var CWND 10500
                # a partial ACK: 5001:6001 was lost too; it is resent at once, cwnd deflated by 4000 - 1000
                < . 1:1(0) ack 5001
                > . 5001:6001(1000) ack 1
                count PARTIAL_ACKS 1
                var CWND 7500
                # the full ACK ends recovery: cwnd = min(ssthresh, max(FlightSize, MSS) + MSS)
                < . 1:1(0) ack 14001
                var CWND 2000
                count RETRANSMITS 2
                count RETRANSMIT_TIMEOUTS 0
                +1min
                """);
    }

    @Test
    void duplicatesOfDataSentBeforeATimeoutDoNotStartFastRetransmit() {
        script().run(ESTABLISHED + """
                write 3000
                > . 1:1001(1000) ack 1
                > . 1001:2001(1000) ack 1
                > P. 2001:3001(1000) ack 1
                +200ms
                > . 1:1001(1000) ack 1
                var CWND 1000
                var SSTHRESH 2000
                # RFC 6582 §3.2 step 1: recover = SND.MAX at the timeout; these duplicates are old news
                < . 1:1(0) ack 1
                < . 1:1(0) ack 1
                < . 1:1(0) ack 1
                count FAST_RETRANSMITS 0
                < . 1:1(0) ack 3001
                """);
    }

    /** SACK negotiated, a 100 ms round trip: the first RTT sample is 100 ms, RTO 300 ms (t = 100 ms). */
    private static final String ESTABLISHED_SACK = """
            listen
            < S 0:0(0) win 65535 <mss 1000,sackOK>
            > S. 0:0(0) ack 1
            +100ms
            < . 1:1(0) ack 1 win 65535
            ~ open
            """;

    @Test
    void rackFindsHolesByTimeThenALostRetransmissionWithoutTheRto() {
        script().run(ESTABLISHED_SACK + """
                write 12000
                """ + TEN_SEGMENTS + """
                +100ms
                < . 1:1(0) ack 1001
                > . 10001:11001(1000) ack 1
                > P. 11001:12001(1000) ack 1
                # 1001:2001 and 4001:5001 were lost. One SACKed segment: no reordering seen yet, so RACK
                # waits a reordering window of min_RTT / 4 = 25 ms after RACK.rtt (RFC 8985 §6.2)
                < . 1:1(0) ack 1001 <sack 2001:3001>
                count FAST_RETRANSMITS 0
                +24ms
                count RACK_LOSSES 0
                +1ms
                # the reordering timer: 1001:2001 is lost; recovery begins, ssthresh = cwnd = FlightSize / 2
                > . 1001:2001(1000) ack 1
                count RACK_REORDER_TIMEOUTS 1
                count RACK_LOSSES 1
                count FAST_RETRANSMITS 1
                count SACK_RECOVERIES 1
                var CWND 5500
                var SSTHRESH 5500
                # in recovery the window is 0: 4001:5001, sent before the newest delivered segment, is lost
                # at once; pipe = 11000 outstanding - 3000 SACKed - 2000 lost + 1000 resent = 7000 > cwnd
                < . 1:1(0) ack 1001 <sack 2001:4001 5001:6001>
                count RACK_LOSSES 2
                < . 1:1(0) ack 1001 <sack 2001:4001 5001:8001>
                # pipe = 4000: room for one segment, the lost one
                < . 1:1(0) ack 1001 <sack 2001:4001 5001:9001>
                > . 4001:5001(1000) ack 1
                +100ms
                # 4001:5001's retransmission arrives; 1001:2001's, sent before it, did not: RACK marks that
                # retransmission lost (it was sent more than RACK.rtt ago) and it goes again, no RTO
                < . 1:1(0) ack 1001 <sack 2001:12001>
                > . 1001:2001(1000) ack 1
                count LOST_RETRANSMITS 1
                count RACK_LOSSES 3
                < . 1:1(0) ack 12001
                # RFC 6675 never inflated cwnd: it stays at ssthresh
                var CWND 5500
                count RETRANSMITS 3
                count RETRANSMIT_TIMEOUTS 0
                count TLP_PROBES 0
                +1min
                """);
    }

    @Test
    void aTailLossProbeElicitsTheSackThatLetsRackRepairTheTail() {
        script().run(ESTABLISHED_SACK + """
                write 3000
                > . 1:1001(1000) ack 1
                > . 1001:2001(1000) ack 1
                > P. 2001:3001(1000) ack 1
                +100ms
                < . 1:1(0) ack 1001
                # the last two segments are lost: no later segment, no duplicate ACK. PTO = 2 SRTT + 2 ms,
                # sooner than the RTO (250 ms); no new data, so the last segment is the probe (RFC 8985 §7.3)
                +201ms
                count TLP_PROBES 0
                +1ms
                > P. 2001:3001(1000) ack 1
                count TLP_PROBES 1
                +100ms
                # the probe is SACKed: RACK marks 1001:2001 lost, fast recovery repairs it
                < . 1:1(0) ack 1001 <sack 2001:3001>
                > . 1001:2001(1000) ack 1
                count RACK_LOSSES 1
                count FAST_RETRANSMITS 1
                < . 1:1(0) ack 3001
                count RETRANSMIT_TIMEOUTS 0
                count TLP_RECOVERIES 0
                +1min
                """);
    }

    @Test
    void noProbeAndNoTimeoutWhileTheTailStillWaitsInTheHostsTransmitQueue() {
        script().run(ESTABLISHED_SACK + """
                # the link holds what TCP sends (a TUN writer thread waiting for a core): the three
                # segments have not left the host, so neither the PTO (RFC 8985 §7.2) nor the RTO
                # (RFC 6298 §5.1), both measured from transmission, may expire: each waits
                hold
                write 3000
                > . 1:1001(1000) ack 1
                > . 1001:2001(1000) ack 1
                > P. 2001:3001(1000) ack 1
                +2s
                count TLP_PROBES 0
                count RETRANSMIT_TIMEOUTS 0
                count RETRANSMITS 0
                count TIMERS_HELD_BY_HOST_QUEUE 2
                var CWND 10000
                release
                # written now and lost, all three: the probe looks again within 1 ms (RFC 6298's G),
                # finds the tail gone and waits one whole PTO (2 SRTT + 2 ms) from then
                +202ms
                count TLP_PROBES 0
                +1ms
                > P. 2001:3001(1000) ack 1
                count TLP_PROBES 1
                count RETRANSMIT_TIMEOUTS 0
                < . 1:1(0) ack 3001
                +1min
                """);
    }

    @Test
    void noRetransmissionTimeoutWhileTheSegmentStillWaitsInTheHostsTransmitQueue() {
        script().run(ESTABLISHED + """
                # no SACK, so no loss probe: the retransmission timer alone (200 ms, the floor)
                hold
                write 1000
                > P. 1:1001(1000) ack 1
                +1s
                count RETRANSMIT_TIMEOUTS 0
                count RETRANSMITS 0
                count TIMERS_HELD_BY_HOST_QUEUE 1
                release
                # the timer looks again within 1 ms (RFC 6298's G), finds the segment gone and runs a
                # whole RTO from then: unanswered, the segment goes again 201 ms after the release
                +200ms
                count RETRANSMIT_TIMEOUTS 0
                +1ms
                > P. 1:1001(1000) ack 1
                count RETRANSMIT_TIMEOUTS 1
                < . 1:1(0) ack 1001
                +1min
                """);
    }

    @Test
    void aProbeThatRepairedTheOnlyLossReducesTheWindowButNotWhenDsackSaysItWasNotNeeded() {
        script().run(ESTABLISHED_SACK + """
                write 3000
                > . 1:1001(1000) ack 1
                > . 1001:2001(1000) ack 1
                > P. 2001:3001(1000) ack 1
                +100ms
                < . 1:1(0) ack 1001
                +202ms
                > P. 2001:3001(1000) ack 1
                count TLP_PROBES 1
                +100ms
                # this may be the original's ACK, with the probe's D-SACK right behind: not settled yet
                < . 1:1(0) ack 3001
                count TLP_RECOVERIES 0
                write 1000
                > P. 3001:4001(1000) ack 1
                +100ms
                # beyond TLP.end_seq and no D-SACK came: the probe repaired a loss (RFC 8985 §7.4.2);
                # ssthresh = max(FlightSize / 2, 2 MSS)
                < . 1:1(0) ack 4001
                count TLP_RECOVERIES 1
                var SSTHRESH 2000
                var CWND 2000
                write 3000
                > . 4001:5001(1000) ack 1
                > . 5001:6001(1000) ack 1
                +100ms
                < . 1:1(0) ack 5001
                # the window lets the third segment go; PTO 202 ms, and the last segment is the probe
                > P. 6001:7001(1000) ack 1
                +202ms
                > P. 6001:7001(1000) ack 1
                count TLP_PROBES 2
                +100ms
                # the probe's ACK carries a D-SACK for it: the original had arrived, nothing was lost
                < . 1:1(0) ack 7001 <sack 6001:7001>
                count DSACKS_RECEIVED 1
                write 1000
                > P. 7001:8001(1000) ack 1
                < . 1:1(0) ack 8001
                count TLP_RECOVERIES 1
                +1min
                """);
    }

    @Test
    void aDsackForEveryRetransmissionUndoesTheReduction() {
        script().run(ESTABLISHED_SACK + """
                write 5000
                > . 1:1001(1000) ack 1
                > . 1001:2001(1000) ack 1
                > . 2001:3001(1000) ack 1
                > . 3001:4001(1000) ack 1
                > P. 4001:5001(1000) ack 1
                +100ms
                < . 1:1(0) ack 1001
                # (five segments in flight do not fill cwnd: it is not validated and does not grow, RFC 7661)
                var CWND 10000
                # 1001:2001 is late, not lost. Three segments SACKed above it: no reordering seen, so RACK's
                # window is 0 and the segment counts as lost (the DupThresh rule)
                < . 1:1(0) ack 1001 <sack 2001:3001>
                < . 1:1(0) ack 1001 <sack 2001:4001>
                < . 1:1(0) ack 1001 <sack 2001:5001>
                > . 1001:2001(1000) ack 1
                count FAST_RETRANSMITS 1
                var CWND 2000
                # the original arrives after all, then the retransmission: a D-SACK (RFC 2883 §4)
                < . 1:1(0) ack 5001
                < . 1:1(0) ack 5001 <sack 1001:2001>
                count DSACKS_RECEIVED 1
                count SPURIOUS_UNDOS 1
                var CWND 10000
                +1min
                """);
    }

    @Test
    void eifelFindsASpuriousTimeoutByTheEchoedTimestampAndUndoesIt() {
        script().run("""
                listen
                < S 0:0(0) win 65535 <mss 1000,sackOK,TS val 5 ecr 0>
                > S. 0:0(0) ack 1 win 65535 <mss 1460,sackOK,TS val 0 ecr 5>
                +100ms
                < . 1:1(0) ack 1 win 65535 <nop,nop,TS val 6 ecr 0>
                ~ open
                # the timestamps option takes 12 octets of the 1000
                write 2964
                > . 1:989(988) ack 1
                > . 989:1977(988) ack 1
                > P. 1977:2965(988) ack 1
                var CWND 9880
                # PTO = 2 SRTT + 2 ms: a tail loss probe first, which restarts the RTO (250 ms: the
                # SYN/ACK's round trip and the third ACK's TSecr gave two samples of 100 ms)
                +202ms
                > P. 1977:2965(988) ack 1 <TS val 302 ecr 6>
                +250ms
                # the first segment again, cwnd one segment
                > . 1:989(988) ack 1 <TS val 552 ecr 6>
                count RETRANSMIT_TIMEOUTS 1
                var CWND 988
                +10ms
                # the ACK echoes TSval 100, older than the retransmission's 552: it answers the original
                # (RFC 3522), the timeout was spurious and the window comes back (RFC 4015)
                < . 1:1(0) ack 2965 win 65535 <nop,nop,TS val 7 ecr 100>
                count SPURIOUS_RTOS 1
                count SPURIOUS_UNDOS 1
                var CWND 9880
                +1min
                """);
    }

    @Test
    void sackBlocksOutsideTheWindowAreIgnoredAndCountedAndDsackIsCounted() {
        script().run(ESTABLISHED + """
                write 3000
                > . 1:1001(1000) ack 1
                > . 1001:2001(1000) ack 1
                > P. 2001:3001(1000) ack 1
                # a block beyond SND.MAX: never sent
                < . 1:1(0) ack 1 <sack 2001:5001>
                drop SACK_OUT_OF_WINDOW
                # an empty (inverted) block
                < . 1:1(0) ack 1 <sack 2001:1001>
                drop SACK_OUT_OF_WINDOW
                count FAST_RETRANSMITS 0
                < . 1:1(0) ack 2001
                # RFC 2883: a first block below the cumulative ACK reports a duplicate (D-SACK)
                < . 1:1(0) ack 2001 <sack 1:1001>
                count DSACKS_RECEIVED 1
                < . 1:1(0) ack 3001
                """);
    }

    @Test
    @Rfc9293("MUST-18")
    void rtoFollowsRfc6298FromSamplesAndKarnIgnoresRetransmittedSegments() {
        script().run("""
                listen
                < S 0:0(0) win 65535 <mss 1000>
                > S. 0:0(0) ack 1
                +100ms
                < . 1:1(0) ack 1 win 65535
                ~ open
                # the SYN/ACK's round trip is the first sample (RFC 6298 §2.2): SRTT 100, RTTVAR 50,
                # RTO = SRTT + max(G, 4 RTTVAR) = 300 ms
                var RTO.MS 300
                write 100
                > P. 1:101(100) ack 1
                +60ms
                < . 1:1(0) ack 101
                # §2.3 with R' = 60: RTTVAR = 3/4 50 + 1/4 |100 - 60| = 47.5, SRTT = 7/8 100 + 1/8 60 = 95
                var RTO.MS 285
                write 100
                > P. 101:201(100) ack 1
                +284ms
                +1ms
                > P. 101:201(100) ack 1
                # §5.5: doubled
                var RTO.MS 570
                +20ms
                # Karn: the ACK may answer either copy, so no sample. It came 20 ms after the
                # retransmission, under SRTT / 2: it answers the original, the timeout was spurious,
                # and the backed-off RTO stays
                < . 1:1(0) ack 201
                count SPURIOUS_RTOS 1
                var RTO.MS 570
                write 100
                > P. 201:301(100) ack 1
                +100ms
                < . 1:1(0) ack 301
                # a valid sample again: RTTVAR = 3/4 47.5 + 1/4 5 = 36.875, SRTT = 95.625, RTO = 243.125
                var RTO.MS 243
                """);
    }

    @Test
    void anAckThatAnswersTheRetransmissionEndsTheBackoff() {
        script().run(ESTABLISHED + """
                write 100
                > P. 1:101(100) ack 1
                +200ms
                > P. 1:101(100) ack 1
                +400ms
                > P. 1:101(100) ack 1
                var RTO.MS 800
                # no sample (Karn), but an answer a round trip after the retransmission: the path works
                +10ms
                < . 1:1(0) ack 101
                count SPURIOUS_RTOS 0
                var RTO.MS 200
                """);
    }

    @Test
    @Rfc9293({"MUST-19", "MUST-20"})
    void rtoBacksOffThenTheRetryLimitTimesTheConnectionOut() {
        new SegmentScript(TestAllocator.config().dataRetries(3)).run(ESTABLISHED + """
                write 100
                > P. 1:101(100) ack 1
                var RTO.MS 200
                +200ms
                > P. 1:101(100) ack 1
                var RTO.MS 400
                var CWND 1000
                +400ms
                > P. 1:101(100) ack 1
                var RTO.MS 800
                +800ms
                > P. 1:101(100) ack 1
                var RTO.MS 1600
                +1599ms
                state ESTABLISHED
                +1ms
                state CLOSED
                ~ closed TIMED_OUT
                count TIMED_OUT 1
                count RETRANSMIT_TIMEOUTS 4
                """);
    }

    @Test
    void lostSynMeansAOneSegmentInitialWindowAndAThreeSecondRto() {
        script().run("""
                connect
                > S 0:0(0)
                +1s
                > S 0:0(0)
                < S. 0:0(0) ack 1 win 65535 <mss 1000>
                > . 1:1(0) ack 1
                ~ open
                # RFC 5681 §3.1: one segment after a lost SYN; RFC 6298 §5.7: RTO 3 s
                var CWND 1000
                var RTO.MS 3000
                write 3000
                > . 1:1001(1000) ack 1
                < . 1:1(0) ack 1001
                > . 1001:2001(1000) ack 1
                > P. 2001:3001(1000) ack 1
                """);
    }
}
