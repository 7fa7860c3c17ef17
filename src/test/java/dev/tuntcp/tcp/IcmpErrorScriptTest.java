package dev.tuntcp.tcp;

import dev.tuntcp.testing.Rfc9293;
import org.junit.jupiter.api.Test;

/**
 * ICMP errors about our segments (RFC 9293 §3.9.2.2): path MTU discovery (RFC 1191) on
 * "fragmentation needed", a refused active open on port/protocol unreachable, soft errors kept for
 * the application (RFC 1122 §4.2.3.9), and the RFC 5927 checks that keep forged messages out.
 */
class IcmpErrorScriptTest {
    private static SegmentScript script() {
        return LossRecoveryScriptTest.script();
    }

    private static final String ESTABLISHED = LossRecoveryScriptTest.ESTABLISHED;

    private static final String THREE_SEGMENTS_IN_FLIGHT = """
            write 3000
            > . 1:1001(1000) ack 1
            > . 1001:2001(1000) ack 1
            > P. 2001:3001(1000) ack 1
            """;

    @Test
    @Rfc9293("MUST-54")
    void fragmentationNeededShrinksTheMssAndResendsTheFlightAtOnceWithoutCuttingTheWindow() {
        script().run(ESTABLISHED + THREE_SEGMENTS_IN_FLIGHT + """
                var CWND 10000
                +10ms
                # a router on the path carries at most 576 octets: 576 - 40 = 536 of data per segment
                icmp 3/4 seq 1 mtu 576 len 1040
                > . 1:537(536) ack 1
                > . 537:1073(536) ack 1
                > . 1073:1609(536) ack 1
                > . 1609:2145(536) ack 1
                > . 2145:2681(536) ack 1
                > P. 2681:3001(320) ack 1
                var SND.MSS 536
                count PATH_MTU_REDUCTIONS 1
                # not a congestion signal (RFC 1191 §6.4): the window stays, no timeout was needed
                var CWND 10000
                count RETRANSMIT_TIMEOUTS 0
                < . 1:1(0) ack 3001
                write 1000
                > . 3001:3537(536) ack 1
                > P. 3537:4001(464) ack 1
                < . 1:1(0) ack 4001
                """);
    }

    @Test
    @Rfc9293("MUST-54")
    void withTimestampsTheNewMssLeavesRoomForTheOption() {
        script().run("""
                listen
                < S 0:0(0) win 65535 <mss 1460,TS val 100 ecr 0>
                > S. 0:0(0) ack 1 <mss 1460,TS val 0 ecr 100>
                < . 1:1(0) ack 1 win 65535 <TS val 101 ecr 0>
                ~ open
                var SND.MSS 1448
                write 1000
                > P. 1:1001(1000) ack 1 <nop,nop,TS val 0 ecr 101>
                # 1000 - 20 (IPv4) - 20 (TCP) - 12 (timestamps) = 948
                icmp 3/4 seq 1 mtu 1000
                var SND.MSS 948
                > . 1:949(948) ack 1 <nop,nop,TS val 0 ecr 101>
                > P. 949:1001(52) ack 1 <nop,nop,TS val 0 ecr 101>
                """);
    }

    @Test
    void aMtuFieldOfZeroMeansTheNextPlateauBelowTheDatagram() {
        // RFC 1191 §7: a router that predates the MTU field; 1040 octets were too many: plateau 1006.
        script().run(ESTABLISHED + THREE_SEGMENTS_IN_FLIGHT + """
                icmp 3/4 seq 1 mtu 0 len 1040
                var SND.MSS 966
                > . 1:967(966) ack 1
                > . 967:1933(966) ack 1
                > . 1933:2899(966) ack 1
                > P. 2899:3001(102) ack 1
                """);
    }

    @Test
    void aTinyReportedMtuIsClampedAndALargerOneIgnored() {
        // RFC 5927 §7.3: a forged 68-octet MTU must not turn every segment into a few octets.
        script().run(ESTABLISHED + THREE_SEGMENTS_IN_FLIGHT + """
                icmp 3/4 seq 1 mtu 1500
                drop ICMP_TOO_BIG_IGNORED
                var SND.MSS 1000
                icmp 3/4 seq 1 mtu 68
                var SND.MSS 512
                > . 1:513(512) ack 1
                > . 513:1025(512) ack 1
                > . 1025:1537(512) ack 1
                > . 1537:2049(512) ack 1
                > . 2049:2561(512) ack 1
                > P. 2561:3001(440) ack 1
                """);
    }

    @Test
    void anErrorQuotingASequenceNumberWeDidNotSendIsNotBelieved() {
        // RFC 5927 §4.1: SND.UNA <= quoted seq < SND.MAX, or a blind attacker could shrink or stall us.
        script().run(ESTABLISHED + THREE_SEGMENTS_IN_FLIGHT + """
                icmp 3/4 seq 3001 mtu 576
                drop ICMP_OUT_OF_WINDOW
                < . 1:1(0) ack 1001
                icmp 3/4 seq 1 mtu 576
                drop ICMP_OUT_OF_WINDOW
                var SND.MSS 1000
                count PATH_MTU_REDUCTIONS 0
                """);
    }

    @Test
    @Rfc9293("SHLD-26")
    void portUnreachableRefusesAnActiveOpen() {
        script().run("""
                connect
                > S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 3>
                icmp 3/3 seq 0 len 60
                state CLOSED
                ~ closed REFUSED
                count ICMP_HARD_ERROR_ABORTS 1
                """);
    }

    @Test
    @Rfc9293({"MUST-47", "SHLD-25"})
    void hostUnreachableIsASoftErrorTheOpenGoesOnAndTheApplicationCanReadIt() {
        // RFC 1122 §4.2.3.9: net/host unreachable MUST NOT abort; the SYN is retried on its timer.
        script().run("""
                connect
                > S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 3>
                icmp 3/1 seq 0 len 60
                state SYN-SENT
                soft-error host unreachable (ICMP 3/1)
                count ICMP_SOFT_ERRORS 1
                +1s
                > S 0:0(0) <mss 1460,sackOK,TS val 1000 ecr 0,nop,wscale 3>
                """);
    }

    @Test
    @Rfc9293("MUST-54")
    void onceSynchronizedEvenPortUnreachableIsSoft() {
        // RFC 5461 §4: hard errors in synchronized states are treated as soft (as Linux does).
        script().run(ESTABLISHED + THREE_SEGMENTS_IN_FLIGHT + """
                icmp 3/3 seq 1
                state ESTABLISHED
                soft-error port unreachable (ICMP 3/3)
                < . 1:1(0) ack 3001
                """);
    }
}
