package dev.tuntcp.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tuntcp.wire.TcpFlags;
import dev.tuntcp.wire.TcpOption;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelTest {

    @Test
    void stateNamesFromOtherTools() {
        assertEquals(TraceState.SYN_RECEIVED, TraceState.fromName("SYN-RECV"));
        assertEquals(TraceState.SYN_RECEIVED, TraceState.fromName("syn_received"));
        assertEquals(TraceState.ESTABLISHED, TraceState.fromName("ESTAB"));
        assertEquals(TraceState.FIN_WAIT_2, TraceState.fromName(" FIN-WAIT-2 "));
        assertEquals(TraceState.TIME_WAIT, TraceState.fromName("TIME_WAIT"));
        assertNull(TraceState.fromName("UNKNOWN-STATE"));
        assertNull(TraceState.fromName(null));
    }

    @Test
    void segmentDerivedValues() {
        SegmentEvent finWithData = SegmentEvent.builder(Direction.IN).from(TraceScript.KERNEL).to(TraceScript.STACK)
                .flags(TcpFlags.FIN | TcpFlags.ACK).seq(-10).ack(1).window(100).windowShift(3).payloadLength(20).build();
        assertEquals(21, finWithData.sequenceLength());
        assertEquals(11, finWithData.seqEnd());
        assertEquals(800, finWithData.scaledWindow());
        assertEquals(new ConnectionId(TraceScript.STACK, TraceScript.KERNEL), finWithData.connection());
        assertEquals(Side.PEER, finWithData.sender());
        SegmentEvent syn = SegmentEvent.builder(Direction.OUT).from(TraceScript.STACK).to(TraceScript.KERNEL)
                .flags(TcpFlags.SYN).window(65535).windowShift(7).build();
        assertEquals(65535, syn.scaledWindow(), "RFC 7323 §2.2: a SYN's window is never scaled");
        assertEquals(Side.STACK, syn.sender());
        assertThrows(IllegalArgumentException.class, () -> SegmentEvent.builder(Direction.IN).from(TraceScript.KERNEL)
                .to(TraceScript.STACK).window(70000).build());
    }

    @Test
    void optionsFromParsedFields() {
        List<TcpOption> options = TraceOptions.of(1460, true, true, 991, 0, 7, new int[] {100}, new int[] {200}, 1);
        assertEquals("mss 1460,sackOK,TS 991 0,wscale 7,sack 1 {100:200}", TraceOptions.text(options));
        assertEquals("", TraceOptions.text(TraceOptions.of(-1, false, false, 0, 0, -1, null, null, 0)));
    }

    @Test
    void splitByConnection() {
        List<TraceEvent> events = new java.util.ArrayList<>(TraceScript.handshakeRequestTeardown().events());
        events.addAll(TraceScript.closedPort().events());
        List<ConnectionTrace> traces = ConnectionTrace.split(events);
        assertEquals(2, traces.size());
        assertEquals(80, traces.get(0).id().local().port());
        assertEquals(81, traces.get(1).id().local().port());
        assertEquals(2, traces.get(1).segments().size());
        assertEquals(Side.PEER, traces.get(1).client());
    }
}
