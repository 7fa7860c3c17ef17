package dev.tuntcp.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateFoldingTest {

    private static List<String> transitions(List<TraceEvent> folded) {
        List<String> out = new ArrayList<>();
        for (TraceEvent e : folded) {
            if (e instanceof SegmentEvent s && s.changedState()) {
                out.add(s.direction() + " " + s.stateBefore().label() + "→" + s.stateAfter().label());
            } else if (e instanceof StateChange sc) {
                out.add("alone " + sc.to().label());
            }
        }
        return out;
    }

    @Test
    void stateChangesJoinTheSegmentsThatCausedThem() {
        List<TraceEvent> folded = StateFolding.fold(TraceScript.handshakeRequestTeardown().events());
        assertEquals(List.of("IN LISTEN→SYN-RECEIVED", "IN SYN-RECEIVED→ESTABLISHED", "IN ESTABLISHED→CLOSE-WAIT",
                "OUT CLOSE-WAIT→LAST-ACK", "IN LAST-ACK→CLOSED"), transitions(folded));
        assertTrue(folded.stream().noneMatch(e -> e instanceof StateChange));
    }

    @Test
    void userCallTransitionsGoWithTheSegmentTheCallSends() {
        // The app closes right after the FIN arrived: CLOSE-WAIT belongs to the FIN, LAST-ACK to our FIN.
        assertEquals(List.of("IN LISTEN→SYN-RECEIVED", "IN SYN-RECEIVED→ESTABLISHED", "IN ESTABLISHED→CLOSE-WAIT",
                "OUT CLOSE-WAIT→LAST-ACK", "IN LAST-ACK→CLOSED"),
                transitions(StateFolding.fold(TraceScript.combinedFin().events())));
        assertEquals(List.of("OUT CLOSED→SYN-SENT", "IN SYN-SENT→ESTABLISHED", "OUT ESTABLISHED→FIN-WAIT-1",
                "IN FIN-WAIT-1→FIN-WAIT-2", "IN FIN-WAIT-2→TIME-WAIT", "alone CLOSED"),
                transitions(StateFolding.fold(TraceScript.lostLastAck().events())));
    }

    @Test
    void peerObservationsAndOtherConnectionsAreNotFolded() {
        TraceScript a = new TraceScript(TraceState.LISTEN).in(TraceScript.S, 1, 0, 0);
        ConnectionId other = new ConnectionId(Endpoint.of("10.13.0.2", 80), Endpoint.of("10.13.0.1", 5555));
        List<TraceEvent> events = new ArrayList<>(a.events());
        events.add(StateChange.stack(1, other, TraceState.LISTEN, TraceState.SYN_RECEIVED));
        events.add(StateChange.peerObserved(2, a.id(), TraceState.SYN_SENT));
        List<TraceEvent> folded = StateFolding.fold(events);
        assertEquals(3, folded.size());
        assertTrue(!((SegmentEvent) folded.get(0)).changedState());
    }
}
