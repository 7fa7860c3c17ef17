package dev.tuntcp.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.link.Netns;
import dev.tuntcp.testing.KernelTest;
import dev.tuntcp.testing.Rfc9293;
import dev.tuntcp.testing.TestNamespace;
import dev.tuntcp.trace.Direction;
import dev.tuntcp.trace.SegmentEvent;
import dev.tuntcp.trace.TraceState;
import dev.tuntcp.wire.TcpFlags;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every lab scenario against the real kernel, its outcome asserted from the collected trace and the
 * kernel's observed states (not from printed text). The scenarios create their own namespaces; the
 * harness's namespace parameter only makes the skip-or-fail decision for CAP_NET_ADMIN.
 */
@KernelTest
class LabScenariosKernelTest {

    private static LabResult run(String name) throws Exception {
        LabResult r = Lab.run(Scenarios.named(name).orElseThrow(), null);
        assertFalse(Netns.exists(r.namespace()), "namespace " + r.namespace() + " left behind");
        assertNull(r.error(), name + " did not finish: " + r.error() + "\n" + r.checks());
        assertTrue(r.passed(), name + " checks: " + r.checks());
        return r;
    }

    private static SegmentEvent nth(List<SegmentEvent> segments, int i) {
        assertTrue(segments.size() > i, "only " + segments.size() + " segments: " + segments);
        return segments.get(i);
    }

    @Test
    void handshakeWithTheStackAsServer(TestNamespace unused) throws Exception {
        LabResult r = run("handshake-server");
        List<SegmentEvent> s = r.segments();
        SegmentEvent syn = nth(s, 0);
        SegmentEvent synAck = nth(s, 1);
        SegmentEvent ack = nth(s, 2);
        assertEquals(Direction.IN, syn.direction());
        assertEquals(TcpFlags.SYN, syn.flags() & (TcpFlags.SYN | TcpFlags.ACK));
        assertEquals(Direction.OUT, synAck.direction());
        assertEquals(syn.seq() + 1, synAck.ack());
        assertEquals(Direction.IN, ack.direction());
        assertEquals(synAck.seq() + 1, ack.ack());
        assertEquals(List.of(TraceState.LISTEN, TraceState.SYN_RECEIVED, TraceState.ESTABLISHED), r.stackStates());
        assertTrue(r.kernelStates().contains(TraceState.ESTABLISHED), r.kernelStates().toString());
    }

    @Test
    void handshakeWithTheStackAsClient(TestNamespace unused) throws Exception {
        LabResult r = run("handshake-client");
        List<SegmentEvent> s = r.segments();
        assertEquals(Direction.OUT, nth(s, 0).direction());
        assertTrue(nth(s, 0).isSyn() && !nth(s, 0).isAck());
        assertTrue(nth(s, 1).isSyn() && nth(s, 1).isAck() && nth(s, 1).ack() == nth(s, 0).seq() + 1);
        assertEquals(nth(s, 1).seq() + 1, nth(s, 2).ack());
        List<TraceState> k = r.kernelStates();
        assertTrue(k.contains(TraceState.LISTEN) && k.indexOf(TraceState.LISTEN) < k.indexOf(TraceState.ESTABLISHED),
                "the kernel listens first: " + k);
        assertTrue(r.kernelStates().contains(TraceState.ESTABLISHED), r.kernelStates().toString());
        assertEquals(List.of(TraceState.SYN_SENT, TraceState.ESTABLISHED), r.stackStates().subList(1, 3));
    }

    @Test
    void synToAClosedPortIsAnsweredWithRstAck(TestNamespace unused) throws Exception {
        LabResult r = run("closed-port");
        assertTrue(r.namespace().startsWith(LabSession.PREFIX), r.namespace());
        List<SegmentEvent> s = r.segments();
        SegmentEvent rst = nth(s, 1);
        assertEquals(Direction.IN, rst.direction());
        assertTrue(rst.isRst() && rst.isAck(), "RST/ACK: " + rst);
        assertEquals(nth(s, 0).seq() + 1, rst.ack());
        assertEquals(2, s.size(), "nothing but SYN and RST: " + s);
        assertTrue(r.kernelStates().stream().allMatch(st -> st == TraceState.CLOSED), r.kernelStates().toString());
    }

    @Test
    void oldDuplicateSynAckIsRefusedByTheKernelWithRst(TestNamespace unused) throws Exception {
        LabResult r = run("old-duplicate-syn");
        SegmentEvent stale = r.segments().stream().filter(x -> x.direction() == Direction.OUT && x.isSyn()).findFirst()
                .orElseThrow();
        SegmentEvent rst = r.segments().stream().filter(x -> x.direction() == Direction.IN && x.isRst()).findFirst()
                .orElseThrow(() -> new AssertionError("the kernel's RST was not observed: " + r.segments()));
        assertEquals(stale.ack(), rst.seq(), "RST <SEQ=SEG.ACK> (RFC 9293 §3.10.7.3)");
        SegmentEvent syn = r.segments().stream().filter(x -> x.direction() == Direction.IN && x.isSyn()).findFirst()
                .orElseThrow();
        assertTrue(stale.ack() != syn.seq() + 1, "the replayed SYN/ACK acknowledges another ISN");
        assertTrue(r.kernelStates().contains(TraceState.SYN_SENT) && r.kernelStates().contains(TraceState.ESTABLISHED));
        assertEquals(TraceState.ESTABLISHED, r.stackStates().get(r.stackStates().size() - 1));
    }

    @Test
    void lostHandshakeAckMakesTheStackRetransmitItsSynAck(TestNamespace unused) throws Exception {
        LabResult r = run("lost-handshake-ack");
        List<SegmentEvent> synAcks = r.segments().stream().filter(x -> x.direction() == Direction.OUT && x.isSyn())
                .toList();
        assertEquals(2, synAcks.size(), r.segments().toString());
        assertEquals(synAcks.get(0).seq(), synAcks.get(1).seq());
        assertTrue(r.events().stream().anyMatch(e -> e instanceof dev.tuntcp.trace.Drop d && d.isLost()));
        assertEquals(List.of(TraceState.LISTEN, TraceState.SYN_RECEIVED, TraceState.ESTABLISHED), r.stackStates());
    }

    @Test
    @Rfc9293("MUST-10")
    void simultaneousOpenPassesSynReceivedOnBothSides(TestNamespace unused) throws Exception {
        LabResult r = run("simultaneous-open");
        long syns = r.segments().stream().filter(x -> x.isSyn() && !x.isAck()).count();
        long synAcks = r.segments().stream().filter(x -> x.isSyn() && x.isAck()).map(SegmentEvent::direction)
                .distinct().count();
        assertEquals(2, syns, "one SYN each way");
        assertEquals(2, synAcks, "a SYN/ACK each way");
        assertEquals(List.of(TraceState.CLOSED, TraceState.SYN_SENT, TraceState.SYN_RECEIVED, TraceState.ESTABLISHED),
                r.stackStates());
        assertTrue(r.kernelStates().contains(TraceState.ESTABLISHED));
    }

    @Test
    void closeByKernelIsFourSegments(TestNamespace unused) throws Exception {
        LabResult r = run("close-by-kernel");
        List<SegmentEvent> tail = r.segments().subList(r.segments().size() - 4, r.segments().size());
        assertTrue(tail.get(0).direction() == Direction.IN && tail.get(0).isFin(), tail.toString());
        assertTrue(tail.get(1).direction() == Direction.OUT && !tail.get(1).isFin()
                && tail.get(1).ack() == tail.get(0).seqEnd(), tail.toString());
        assertTrue(tail.get(2).direction() == Direction.OUT && tail.get(2).isFin(), tail.toString());
        assertTrue(tail.get(3).direction() == Direction.IN && tail.get(3).ack() == tail.get(2).seqEnd(), tail.toString());
        assertTrue(r.stackStates().containsAll(List.of(TraceState.CLOSE_WAIT, TraceState.LAST_ACK, TraceState.CLOSED)));
        assertTrue(r.kernelStates().contains(TraceState.TIME_WAIT), r.kernelStates().toString());
    }

    @Test
    void closeByStackEndsWithTheStackInTimeWait(TestNamespace unused) throws Exception {
        LabResult r = run("close-by-stack");
        assertTrue(r.stackStates().containsAll(List.of(TraceState.FIN_WAIT_1, TraceState.FIN_WAIT_2,
                TraceState.TIME_WAIT)), r.stackStates().toString());
        assertTrue(r.kernelStates().containsAll(List.of(TraceState.CLOSE_WAIT, TraceState.CLOSED)),
                r.kernelStates().toString());
    }

    @Test
    void finAndAckCombinedWhenTheKernelClosesAtOnce(TestNamespace unused) throws Exception {
        // Timing-dependent by nature: Linux delays the ACK of a FIN only briefly, and the lab closes the
        // kernel's socket right after its kernel took our FIN; on a loaded machine the delayed ACK can
        // still win. Every run must show the FIN acknowledging ours; the combined form must show up
        // in one of three runs, else the test is skipped loudly (not passed).
        LabResult r = null;
        for (int attempt = 0; attempt < 3 && (r == null || !r.passed()); attempt++) {
            r = Lab.run(Scenarios.named("fin-ack-combined").orElseThrow(), null);
            assertFalse(Netns.exists(r.namespace()), "namespace " + r.namespace() + " left behind");
            assertNull(r.error(), r.error());
            assertTrue(r.checks().get(1).passed(), "the kernel's FIN acknowledges ours: " + r.checks());
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(r.passed(),
                "SKIPPED LOUDLY: the kernel's delayed ACK beat its application in 3 runs (machine too busy): " + r.checks());
        SegmentEvent ourFin = r.segments().stream().filter(x -> x.direction() == Direction.OUT && x.isFin())
                .findFirst().orElseThrow();
        SegmentEvent theirFin = r.segments().stream().filter(x -> x.direction() == Direction.IN && x.isFin())
                .findFirst().orElseThrow();
        assertEquals(ourFin.seqEnd(), theirFin.ack());
        assertFalse(r.segments().stream().anyMatch(x -> x.direction() == Direction.IN && !x.isFin()
                && x.nanos() > ourFin.nanos() && x.ack() == ourFin.seqEnd()), "no separate ACK");
    }

    @Test
    void halfCloseCarriesDataAfterTheFin(TestNamespace unused) throws Exception {
        LabResult r = run("half-close");
        SegmentEvent fin = r.segments().stream().filter(x -> x.direction() == Direction.IN && x.isFin()).findFirst()
                .orElseThrow();
        int after = r.segments().stream().filter(x -> x.direction() == Direction.OUT && x.nanos() > fin.nanos())
                .mapToInt(SegmentEvent::payloadLength).sum();
        assertEquals(3000, after, "the stack's answer travels after the kernel's FIN");
        assertTrue(r.kernelStates().contains(TraceState.FIN_WAIT_2), r.kernelStates().toString());
    }

    @Test
    void finConsumesASequenceNumber(TestNamespace unused) throws Exception {
        LabResult r = run("fin-consumes-seq");
        SegmentEvent syn = r.segments().get(0);
        SegmentEvent fin = r.segments().stream().filter(x -> x.direction() == Direction.IN && x.isFin()).findFirst()
                .orElseThrow();
        int finSeq = fin.seq() + fin.payloadLength();
        assertEquals(6, Integer.toUnsignedLong(finSeq - syn.seq()));
        assertTrue(r.segments().stream().anyMatch(x -> x.direction() == Direction.OUT && x.ack() == finSeq + 1),
                "ack = FIN seq + 1");
    }

    @Test
    void timeWaitReAcksTheRetransmittedFin(TestNamespace unused) throws Exception {
        LabResult r = run("lost-final-ack");
        List<SegmentEvent> fins = r.segments().stream().filter(x -> x.direction() == Direction.IN && x.isFin()).toList();
        assertEquals(2, fins.size(), r.segments().toString());
        assertEquals(fins.get(0).seq(), fins.get(1).seq());
        SegmentEvent reAck = r.segments().stream().filter(x -> x.direction() == Direction.OUT
                && x.nanos() > fins.get(1).nanos()).findFirst().orElseThrow();
        assertEquals(TraceState.TIME_WAIT, reAck.stateBefore());
        assertEquals(fins.get(1).seqEnd(), reAck.ack());
        assertTrue(r.kernelStates().containsAll(List.of(TraceState.LAST_ACK, TraceState.CLOSED)));
        assertEquals(TraceState.CLOSED, r.stackStates().get(r.stackStates().size() - 1), "TIME-WAIT expired");
    }

    @Test
    void simultaneousClosePassesClosingOnBothSides(TestNamespace unused) throws Exception {
        LabResult r = run("simultaneous-close");
        assertTrue(r.stackStates().contains(TraceState.CLOSING), r.stackStates().toString());
        assertTrue(r.kernelStates().contains(TraceState.CLOSING), r.kernelStates().toString());
        assertEquals(TraceState.TIME_WAIT, r.stackStates().get(r.stackStates().size() - 1));
        assertTrue(r.kernelStates().contains(TraceState.TIME_WAIT));
    }

    @Test
    void rstAbortEndsTheConnectionAtOnce(TestNamespace unused) throws Exception {
        LabResult r = run("rst-abort");
        assertTrue(r.segments().stream().anyMatch(x -> x.direction() == Direction.IN && x.isRst()));
        assertFalse(r.segments().stream().anyMatch(SegmentEvent::isFin));
        assertEquals(TraceState.CLOSED, r.stackStates().get(r.stackStates().size() - 1));
        assertFalse(r.kernelStates().contains(TraceState.TIME_WAIT));
    }
}
