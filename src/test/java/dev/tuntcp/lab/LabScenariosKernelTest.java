package dev.tuntcp.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuntcp.link.Netns;
import dev.tuntcp.testing.KernelTest;
import dev.tuntcp.testing.TestNamespace;
import dev.tuntcp.trace.Direction;
import dev.tuntcp.trace.SegmentEvent;
import dev.tuntcp.trace.TraceState;
import dev.tuntcp.wire.TcpFlags;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
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
        assertNull(r.error(), name + " did not finish: " + r.error() + "\n" + r.checks());
        assertTrue(r.passed(), name + " checks: " + r.checks());
        return r;
    }

    private static SegmentEvent nth(List<SegmentEvent> segments, int i) {
        assertTrue(segments.size() > i, "only " + segments.size() + " segments: " + segments);
        return segments.get(i);
    }

    @AfterEach
    void noNamespaceLeft() {
        assertFalse(Netns.list().stream().anyMatch(n -> n.startsWith(LabSession.PREFIX)), "lab namespace left behind");
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
        assertEquals(TraceState.LISTEN, r.kernelStates().get(0), "the kernel listens first: " + r.kernelStates());
        assertTrue(r.kernelStates().contains(TraceState.ESTABLISHED), r.kernelStates().toString());
        assertEquals(List.of(TraceState.SYN_SENT, TraceState.ESTABLISHED), r.stackStates().subList(1, 3));
    }

    @Test
    void synToAClosedPortIsAnsweredWithRstAck(TestNamespace unused) throws Exception {
        LabResult r = run("closed-port");
        List<SegmentEvent> s = r.segments();
        SegmentEvent rst = nth(s, 1);
        assertEquals(Direction.IN, rst.direction());
        assertTrue(rst.isRst() && rst.isAck(), "RST/ACK: " + rst);
        assertEquals(nth(s, 0).seq() + 1, rst.ack());
        assertEquals(2, s.size(), "nothing but SYN and RST: " + s);
        assertTrue(r.kernelStates().stream().allMatch(st -> st == TraceState.CLOSED), r.kernelStates().toString());
    }
}
