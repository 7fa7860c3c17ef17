package dev.tuntcp.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tuntcp.socket.ConnectionHandler;
import dev.tuntcp.socket.KeepAlive;
import dev.tuntcp.stack.VirtualClock;
import dev.tuntcp.testing.IgnoringHandler;
import dev.tuntcp.testing.Rfc9293;
import dev.tuntcp.wire.TcpFlags;
import dev.tuntcp.wire.TcpOption;
import dev.tuntcp.wire.TcpRepr;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Scripted proofs of RFC 9293 requirements (Appendix B identifiers, see docs/rfc9293-compliance.md)
 * that the other script tests do not already show: one rule per test, each tagged with what it proves.
 */
class Rfc9293ComplianceScriptTest {

    private static final String ESTABLISHED = """
            listen
            < S 0:0(0) win 65535 <mss 1460>
            > S. 0:0(0) ack 1 <mss 1460>
            < . 1:1(0) ack 1 win 65535
            ~ open
            """;

    private static final ConnectionHandler IGNORING = IgnoringHandler.INSTANCE;

    @Test
    @Rfc9293("MUST-23")
    void withTheDefaultsASynIsRetriedForMoreThanThreeMinutes() {
        // RFC 9293 §3.8.3: "R2 for a SYN segment MUST be set large enough to provide retransmission
        // of the segment for at least 3 minutes." Doubling from 1 s, capped at the 60 s maximum RTO.
        new SegmentScript().run("""
                connect
                > S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 3>
                +1s
                > S 0:0(0) <mss 1460,sackOK,TS val 1000 ecr 0,nop,wscale 3>
                +2s
                > S 0:0(0) <mss 1460,sackOK,TS val 3000 ecr 0,nop,wscale 3>
                +4s
                > S 0:0(0) <mss 1460,sackOK,TS val 7000 ecr 0,nop,wscale 3>
                +8s
                > S 0:0(0) <mss 1460,sackOK,TS val 15000 ecr 0,nop,wscale 3>
                +16s
                > S 0:0(0) <mss 1460,sackOK,TS val 31000 ecr 0,nop,wscale 3>
                +32s
                > S 0:0(0) <mss 1460,sackOK,TS val 63000 ecr 0,nop,wscale 3>
                +60s
                > S 0:0(0) <mss 1460,sackOK,TS val 123000 ecr 0,nop,wscale 3>
                +59999ms
                state SYN-SENT
                +1ms
                state CLOSED
                ~ closed TIMED_OUT
                """);
    }

    @Test
    @Rfc9293({"MUST-1", "REC-1"})
    void aWindowAbove32767IsAnUnsignedNumber() {
        // RFC 9293 §3.1: read as a signed 16-bit number, 65535 would be -1 and nothing could be sent.
        new SegmentScript().run("""
                listen
                < S 0:0(0) win 65535 <mss 1460>
                > S. 0:0(0) ack 1 <mss 1460>
                < . 1:1(0) ack 1 win 65535
                ~ open
                var SND.WND 65535
                write 300
                > P. 1:301(300) ack 1
                < . 1:1(0) ack 301 win 40000
                var SND.WND 40000
                """);
    }

    @Test
    @Rfc9293({"MUST-5", "MUST-6"})
    void optionsOnADataSegmentAreReadAndUnknownKindsSkipped() {
        SegmentScript s = new SegmentScript().run(ESTABLISHED);
        Connection c = s.current();
        byte[] data = new byte[10];
        for (int i = 0; i < data.length; i++) {
            data[i] = SegmentScript.peerByte(1 + i);
        }
        // §3.1: options may come on any segment; kind 253 (an experiment, RFC 4727) is not ours, so it
        // is skipped by its length. The options start off a word boundary after the single NOP.
        List<TcpOption> options = List.of(new TcpOption.Nop(), new TcpOption.Unknown(253, new byte[] {1, 2, 3}),
                new TcpOption.Nop(), new TcpOption.Unknown(254, new byte[] {9, 9}));
        TcpRepr repr = new TcpRepr(40000, SegmentScript.LOCAL_PORT, 1, c.sndNxt, TcpFlags.ACK | TcpFlags.PSH, 65535, 0,
                options, data);
        ByteBuf packet = Unpooled.buffer(repr.length());
        try {
            int n = repr.emit(packet, 0, SegmentScript.REMOTE, SegmentScript.LOCAL);
            packet.writerIndex(n);
            new TcpInput(s.layer).receive(SegmentScript.REMOTE, SegmentScript.LOCAL, packet, 0, n);
        } finally {
            packet.release();
        }
        s.run("""
                > . 1:1(0) ack 11
                ~ readable
                read 10
                state ESTABLISHED
                """);
    }

    @Test
    @Rfc9293("MUST-9")
    void theIsnDependsOnASecretKeyChosenAtRandom() {
        VirtualClock clock = new VirtualClock(TimeUnit.SECONDS.toNanos(7));
        int a = new KeyedIsnGenerator(clock, 1, 2).initialSequenceNumber(10, 1000, 20, 80);
        // §3.4.1: same clock, same 4-tuple, another key: another ISN, so knowing the tuple is not enough.
        assertNotEquals(a, new KeyedIsnGenerator(clock, 1, 3).initialSequenceNumber(10, 1000, 20, 80));
        assertNotEquals(a, new KeyedIsnGenerator(clock, 3, 2).initialSequenceNumber(10, 1000, 20, 80));
        // Every generator a stack creates draws its own key (a collision has probability 2^-32).
        assertNotEquals(new KeyedIsnGenerator(clock).initialSequenceNumber(10, 1000, 20, 80),
                new KeyedIsnGenerator(clock).initialSequenceNumber(10, 1000, 20, 80));
        // The layer's default is such a keyed generator: two stacks answer the same SYN with different ISNs.
        SegmentScript one = new SegmentScript(new TcpConfig().allocator(TestAllocator.POOLED));
        SegmentScript two = new SegmentScript(new TcpConfig().allocator(TestAllocator.POOLED));
        String synAck = """
                listen
                < S 0:0(0) win 65535 <mss 1460>
                > S. 0:0(0) ack 1 <mss 1460>
                """;
        one.run(synAck);
        two.run(synAck);
        assertNotEquals(one.current().iss, two.current().iss);
    }

    @Test
    @Rfc9293("MUST-11")
    void resetInSynReceivedReturnsAPassiveOpenToListenAndRefusesAnActiveOne() {
        SegmentScript passive = new SegmentScript().run("""
                listen
                < S 0:0(0) win 65535 <mss 1460>
                > S. 0:0(0) ack 1 <mss 1460>
                < R 1:1(0)
                state CLOSED
                ~ !open
                # back in LISTEN, unknown to the application: the same peer can start again
                < S 500:500(0) win 65535 <mss 1460>
                forget-iss
                > S. 0:0(0) ack 501 <mss 1460>
                state SYN-RECEIVED
                """);
        assertEquals(TcpState.LISTEN, passive.layer.listener(SegmentScript.LOCAL_PORT).state());
        new SegmentScript().run("""
                connect
                > S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 3>
                < S 300:300(0) win 65535 <mss 1460>
                state SYN-RECEIVED
                > S. 0:0(0) ack 301 <mss 1460>
                < R 301:301(0)
                state CLOSED
                ~ closed REFUSED
                """);
    }

    @Test
    @Rfc9293({"MUST-34", "SHLD-15"})
    void aShrunkWindowStopsNewDataUntilItOpensAgain() {
        new SegmentScript().run("""
                listen
                < S 0:0(0) win 1000 <mss 100>
                > S. 0:0(0) ack 1 <mss 1460>
                < . 1:1(0) ack 1 win 1000
                ~ open
                write 300
                > . 1:101(100) ack 1
                > . 101:201(100) ack 1
                > P. 201:301(100) ack 1
                # the peer moves its right edge back from 1001 to 101, below SND.NXT (301): the usable
                # window SND.UNA + SND.WND - SND.NXT is negative (§3.8.6)
                < . 1:1(0) ack 1 win 100
                var SND.WND 100
                write 100
                # a full-sized segment waits, but it lies beyond the right edge: nothing is sent
                state ESTABLISHED
                < . 1:1(0) ack 301 win 1000
                > P. 301:401(100) ack 1
                < . 1:1(0) ack 401 win 1000
                var SND.UNA 401
                """);
    }

    @Test
    @Rfc9293("MUST-41")
    void aPassiveOpenFailsOrListensWithoutDisturbingExistingConnections() {
        SegmentScript s = new SegmentScript().run(ESTABLISHED);
        Connection established = s.current();
        Listener first = s.layer.listener(SegmentScript.LOCAL_PORT);
        assertThrows(IllegalStateException.class,
                () -> s.layer.listen(SegmentScript.LOCAL, SegmentScript.LOCAL_PORT, () -> IGNORING));
        Listener other = s.layer.listen(SegmentScript.LOCAL, SegmentScript.LOCAL_PORT + 1, () -> IGNORING);
        assertEquals(TcpState.LISTEN, other.state());
        other.close();
        assertSame(first, s.layer.listener(SegmentScript.LOCAL_PORT));
        assertSame(established, s.current());
        s.run("""
                state ESTABLISHED
                < P. 1:11(10) ack 1
                > . 1:1(0) ack 11
                read 10
                write 5
                > P. 1:6(5) ack 11
                """);
    }

    @Test
    @Rfc9293("MUST-42")
    void aPortCanListenWhileAConnectionFromItIsStillInSynSent() {
        SegmentScript s = new SegmentScript();
        Connection active = s.layer.connect(SegmentScript.LOCAL, SegmentScript.LOCAL_PORT, SegmentScript.REMOTE, 40000,
                IGNORING);
        s.run("""
                > S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 3>
                state SYN-SENT
                listen
                remote-port 40001
                < S 0:0(0) win 65535 <mss 1460>
                forget-iss
                > S. 0:0(0) ack 1 <mss 1460>
                state SYN-RECEIVED
                """);
        assertNotNull(s.layer.listener(SegmentScript.LOCAL_PORT));
        assertEquals(TcpState.SYN_SENT, active.state);
        assertSame(active, s.layer.find(SegmentScript.LOCAL, SegmentScript.LOCAL_PORT, SegmentScript.REMOTE, 40000));
    }

    @Test
    @Rfc9293("MUST-65")
    void onlySynSegmentsCarryTheMssOption() {
        new SegmentScript().run(ESTABLISHED + """
                write 10
                > P. 1:11(10) ack 1 <>
                < P. 1:11(10) ack 11
                > . 11:11(0) ack 11 <>
                shutdown
                > F. 11:11(0) ack 11 <>
                """);
        new SegmentScript().run("""
                connect
                > S 0:0(0) <mss 1460,sackOK,TS val 0 ecr 0,nop,wscale 3>
                < S. 5000:5000(0) ack 1 win 65535 <mss 1460>
                > . 1:1(0) ack 5001 <>
                ~ open
                """);
    }

    @Test
    @Rfc9293("MUST-66")
    void aResetIsHonouredWhileTheReceiveWindowIsZero() {
        new SegmentScript(TestAllocator.config().receiveBufferSize(1000)).run("""
                listen
                < S 0:0(0) win 65535 <mss 1460>
                > S. 0:0(0) ack 1 win 1000 <mss 1460>
                < . 1:1(0) ack 1 win 65535
                ~ open
                < P. 1:1001(1000) ack 1
                > . 1:1(0) ack 1001 win 0
                var RCV.WND 0
                < R 1001:1001(0)
                state CLOSED
                ~ closed RESET
                """);
    }

    @Test
    @Rfc9293("MUST-67")
    void theAdvertisedMssNeverExceedsWhatIpCanReassembleLessTwentyOctets() {
        // MMS_R is the largest datagram IPv4 reassembles (65535) less its 20-octet header; the MSS we
        // send must be at most MMS_R - 20 = 65495 (§3.7.1). The configuration refuses anything larger,
        // and the SYN carries exactly the configured value.
        assertThrows(IllegalArgumentException.class, () -> new TcpConfig().mss(65496));
        new SegmentScript(TestAllocator.config().mss(65495)).run("""
                listen
                < S 0:0(0) win 65535 <mss 1460>
                > S. 0:0(0) ack 1 <mss 65495>
                """);
        new SegmentScript(TestAllocator.config().mss(1200)).run("""
                connect
                > S 0:0(0) <mss 1200,sackOK,TS val 0 ecr 0,nop,wscale 3>
                """);
    }

    @Test
    @Rfc9293("SHLD-2")
    void aResetCarryingDataIsStillHonoured() {
        new SegmentScript().run(ESTABLISHED + """
                < R 1:11(10)
                state CLOSED
                ~ closed RESET
                readable 0
                """);
    }

    @Test
    @Rfc9293("MUST-28")
    void keepAliveSwitchedOnWithItsDefaultsWaitsTwoHoursOfIdleness() {
        SegmentScript s = new SegmentScript().run(ESTABLISHED);
        s.current().setKeepAlive(KeepAlive.DEFAULTS);
        // §3.8.4: the default interval is at least two hours; the first probe comes no earlier.
        s.run("""
                +7199s
                state ESTABLISHED
                +1s
                > . 0:0(0) ack 1
                """);
    }
}
