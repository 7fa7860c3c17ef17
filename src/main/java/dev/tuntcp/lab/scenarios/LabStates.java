package dev.tuntcp.lab.scenarios;

import dev.tuntcp.trace.ConnectionId;
import dev.tuntcp.trace.Side;
import dev.tuntcp.trace.StateChange;
import dev.tuntcp.trace.TraceEvent;
import dev.tuntcp.trace.TraceState;
import java.util.ArrayList;
import java.util.List;

/** The stack's reported states of one connection, for the scenarios' checks. */
final class LabStates {
    private LabStates() {
    }

    static List<TraceState> stack(List<TraceEvent> events, ConnectionId id) {
        List<TraceState> out = new ArrayList<>();
        for (TraceEvent e : events) {
            if (e instanceof StateChange sc && sc.side() == Side.STACK && sc.connection().equals(id)) {
                if (out.isEmpty() && sc.from() != null) {
                    out.add(sc.from());
                }
                out.add(sc.to());
            }
        }
        return out;
    }

    /** True when {@code states} contains {@code expected} in this order (others may come between). */
    static boolean inOrder(List<TraceState> states, TraceState... expected) {
        int i = 0;
        for (TraceState s : states) {
            if (i < expected.length && s == expected[i]) {
                i++;
            }
        }
        return i == expected.length;
    }
}
