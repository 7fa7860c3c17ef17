package dev.tuntcp.tcp;

import dev.tuntcp.testing.Rfc9293;
import org.junit.jupiter.api.Test;

/**
 * Negotiation of the RFC 7323 options (window scale, timestamps) and RFC 2018 SACK-permitted in
 * both opens, with and without each option, the shift on every later window field, PAWS and
 * TS.Recent. Our TSvals in the scripts count from our first one (virtual milliseconds).
 */
class OptionsScriptTest {

    /** Passive open where the peer (Linux-like) offers everything: we answer everything. */
    private static final String ESTABLISHED_ALL = """
            listen
            < S 1000:1000(0) win 64240 <mss 1460,sackOK,TS val 991 ecr 0,nop,wscale 7>
            > S. 0:0(0) ack 1001 win 65535 <mss 1460,sackOK,TS val 0 ecr 991,nop,wscale 3>
            < . 1001:1001(0) ack 1 win 502 <nop,nop,TS val 992 ecr 0>
            ~ open
            """;

    @Test
    @Rfc9293({"MUST-5", "MUST-16", "REC-1"})
    void passiveOpenAnswersEveryOfferedOptionAndScalesBothWays() {
        new SegmentScript().run(ESTABLISHED_ALL + """
                # SYN windows are never scaled (RFC 7323 §2.2); from here on the peer's are << 7
                var SND.WND 64256
                var SND.WSCALE 7
                var RCV.WSCALE 3
                # 1460 less the 12 bytes of timestamps on every segment
                var SND.MSS 1448
                < P. 1001:1101(100) ack 1 win 502 <nop,nop,TS val 993 ecr 0>
                # 262144 - 100 = 262044 free, >> 3
                > . 1:1(0) ack 1101 win 32755 <TS val 0 ecr 993>
                +5ms
                write 10
                > P. 1:11(10) ack 1101 win 32755 <TS val 5 ecr 993>
                < . 1101:1101(0) ack 11 win 600 <nop,nop,TS val 1000 ecr 5>
                var SND.WND 76800
                read 100
                """);
    }

    @Test
    void withoutWindowScaleTheWindowStopsAt65535AndNoShiftIsUsed() {
        new SegmentScript().run("""
                listen
                < S 0:0(0) win 65535 <mss 1460,sackOK,TS val 5 ecr 0>
                > S. 0:0(0) ack 1 win 65535 <mss 1460,sackOK,TS val 0 ecr 5>
                < . 1:1(0) ack 1 win 1000 <nop,nop,TS val 6 ecr 0>
                ~ open
                var SND.WND 1000
                var RCV.WSCALE 0
                < P. 1:1001(1000) ack 1 win 1000 <nop,nop,TS val 7 ecr 0>
                # 261144 bytes free, but 16 bits without a shift say 65535
                > . 1:1(0) ack 1001 win 65535 <TS val 0 ecr 7>
                ~ readable
                """);
    }

    @Test
    @Rfc9293("MUST-65")
    void withoutTimestampsNoSegmentCarriesThemAndTheMssIsWhole() {
        new SegmentScript().run("""
                listen
                < S 0:0(0) win 65535 <mss 1460,nop,wscale 2>
                > S. 0:0(0) ack 1 win 65535 <mss 1460,nop,wscale 3>
                < . 1:1(0) ack 1 win 1000
                ~ open
                var SND.WND 4000
                var SND.MSS 1460
                < P. 1:11(10) ack 1 win 1000
                > . 1:1(0) ack 11 win 32766 <>
                """);
    }

    @Test
    void sackPermittedAloneIsAnswered() {
        new SegmentScript().run("""
                listen
                < S 0:0(0) win 65535 <mss 1000,sackOK>
                > S. 0:0(0) ack 1 win 65535 <mss 1460,sackOK>
                """);
    }

    @Test
    void activeOpenOffersEverythingAndUsesWhatTheSynAckAccepts() {
        new SegmentScript().run("""
                connect
                > S 0:0(0) win 65535 <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 3>
                +20ms
                < S. 5000:5000(0) ack 1 win 65535 <mss 1460,sackOK,TS val 700 ecr 0,nop,wscale 2>
                > . 1:1(0) ack 5001 win 32768 <TS val 20 ecr 700>
                ~ open
                var SND.WSCALE 2
                var RCV.WSCALE 3
                var SND.WND 65535
                var TS.RECENT 700
                < . 5001:5001(0) ack 1 win 1000 <nop,nop,TS val 701 ecr 20>
                var SND.WND 4000
                var TS.RECENT 701
                """);
    }

    @Test
    void activeOpenWithoutOptionsInTheSynAckUsesNone() {
        new SegmentScript().run("""
                connect
                > S 0:0(0) win 65535 <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 3>
                < S. 5000:5000(0) ack 1 win 65535 <mss 1460>
                > . 1:1(0) ack 5001 win 65535 <>
                ~ open
                var SND.WSCALE 0
                var RCV.WSCALE 0
                var SND.MSS 1460
                < . 5001:5001(0) ack 1 win 1000
                var SND.WND 1000
                """);
    }

    @Test
    void aShiftAbove14IsTakenAs14() {
        new SegmentScript().run("""
                listen
                < S 0:0(0) win 65535 <mss 1460,nop,wscale 15>
                > S. 0:0(0) ack 1 win 65535 <mss 1460,nop,wscale 3>
                < . 1:1(0) ack 1 win 1
                ~ open
                var SND.WSCALE 14
                var SND.WND 16384
                """);
    }

    @Test
    void aSmallBufferOffersShiftZeroSoThePeerCanStillScale() {
        new SegmentScript(TestAllocator.config().receiveBufferSize(1000)).run("""
                listen
                < S 0:0(0) win 65535 <mss 1460,nop,wscale 7>
                > S. 0:0(0) ack 1 win 1000 <mss 1460,nop,wscale 0>
                < . 1:1(0) ack 1 win 1000
                ~ open
                var SND.WND 128000
                """);
    }

    @Test
    void oneMegabyteBufferIsAdvertisedWithAShiftOf5() {
        new SegmentScript(TestAllocator.config().receiveBufferSize(1 << 20)).run("""
                listen
                < S 0:0(0) win 65535 <mss 1460,nop,wscale 7>
                > S. 0:0(0) ack 1 win 65535 <mss 1460,nop,wscale 5>
                < . 1:1(0) ack 1 win 1000
                ~ open
                < P. 1:11(10) ack 1 win 1000
                > . 1:1(0) ack 11 win 32767
                var RCV.WND 1048566
                """);
    }

    @Test
    void pawsDropsAnOldDuplicateAndAcknowledges() {
        new SegmentScript().run(ESTABLISHED_ALL + """
                < P. 1001:1101(100) ack 1 win 502 <nop,nop,TS val 1000 ecr 0>
                > . 1:1(0) ack 1101 win 32755 <TS val 0 ecr 1000>
                # an older TSval: an old duplicate from a previous wrap, whatever its sequence number
                < P. 1101:1201(100) ack 1 win 502 <nop,nop,TS val 999 ecr 0>
                drop PAWS
                > . 1:1(0) ack 1101 win 32755 <TS val 0 ecr 1000>
                var RCV.NXT 1101
                # an RST is judged by its sequence number only (RFC 7323 §5.3 R1)
                < R. 1101:1101(0) ack 1 win 0 <nop,nop,TS val 5 ecr 0>
                state CLOSED
                ~ closed RESET
                """);
    }

    @Test
    void equalTsValIsNotOldAndTsRecentFollowsTheLeftEdge() {
        new SegmentScript().run(ESTABLISHED_ALL + """
                < P. 1001:1101(100) ack 1 win 502 <nop,nop,TS val 2000 ecr 0>
                > . 1:1(0) ack 1101 win 32755 <TS val 0 ecr 2000>
                < P. 1101:1201(100) ack 1 win 502 <nop,nop,TS val 2000 ecr 0>
                > . 1:1(0) ack 1201 win 32743 <TS val 0 ecr 2000>
                # SEG.SEQ beyond Last.ACK.sent: not at the left edge, so TS.Recent stays
                < P. 1301:1401(100) ack 1 win 502 <nop,nop,TS val 3000 ecr 0>
                > . 1:1(0) ack 1201 win 32743 <TS val 0 ecr 2000,sack 1 {1301:1401}>
                var TS.RECENT 2000
                """);
    }

    @Test
    void aSegmentWithoutTimestampsAfterTheyWereAgreedIsDropped() {
        new SegmentScript().run(ESTABLISHED_ALL + """
                < P. 1001:1101(100) ack 1 win 502
                drop TIMESTAMP_MISSING
                var RCV.NXT 1001
                ~ !readable
                """);
    }

    @Test
    void optionsTurnedOffInTheConfigAreNeitherOfferedNorAnswered() {
        new SegmentScript(TestAllocator.config().windowScaling(false).timestamps(false).sack(false)).run("""
                connect
                > S 0:0(0) win 65535 <mss 1460>
                < S. 5000:5000(0) ack 1 win 65535 <mss 1460,sackOK,TS val 700 ecr 0,nop,wscale 2>
                > . 1:1(0) ack 5001 win 65535 <>
                ~ open
                var SND.WSCALE 0
                """);
    }
}
