package dev.tuntcp.lab;

import dev.tuntcp.trace.ConnectionId;
import dev.tuntcp.trace.ConnectionTrace;
import dev.tuntcp.trace.SegmentEvent;
import dev.tuntcp.trace.StateChange;
import dev.tuntcp.trace.TraceEvent;
import dev.tuntcp.trace.TraceState;
import java.util.ArrayList;
import java.util.List;

/**
 * What one scenario run produced: the trace of its connection (the stack's segments and states, the
 * link's interventions, the kernel's observed states), the checks and the explanation.
 *
 * @param scenario the scenario's name
 * @param namespace the network namespace it ran in (deleted by now)
 * @param connection the connection the scenario watched, or null when it never got that far
 * @param events every recorded event, in order
 * @param checks what the scenario expected and whether it saw it
 * @param explanation paragraphs tied to this run's numbers
 * @param error why the run stopped early, or null
 */
public record LabResult(String scenario, String namespace, ConnectionId connection, List<TraceEvent> events, List<Check> checks,
                        List<String> explanation, String error) {
    public LabResult {
        events = List.copyOf(events);
        checks = List.copyOf(checks);
        explanation = List.copyOf(explanation);
    }

    /** True when the run finished and every check passed. */
    public boolean passed() {
        return error == null && !checks.isEmpty() && checks.stream().allMatch(Check::passed);
    }

    /** The watched connection's events. */
    public ConnectionTrace trace() {
        if (connection == null) {
            return ConnectionTrace.single(events);
        }
        return ConnectionTrace.of(connection, events);
    }

    /** The watched connection's segments in order. */
    public List<SegmentEvent> segments() {
        return trace().segments();
    }

    /** The kernel's states as observed, in order. */
    public List<TraceState> kernelStates() {
        List<TraceState> out = new ArrayList<>();
        for (TraceEvent e : trace().events()) {
            if (e instanceof StateChange sc && sc.side() == dev.tuntcp.trace.Side.PEER) {
                out.add(sc.to());
            }
        }
        return out;
    }

    /** The stack's states in order (the reported transitions, first state included). */
    public List<TraceState> stackStates() {
        List<TraceState> out = new ArrayList<>();
        for (TraceEvent e : trace().events()) {
            if (e instanceof StateChange sc && sc.side() == dev.tuntcp.trace.Side.STACK) {
                if (out.isEmpty() && sc.from() != null) {
                    out.add(sc.from());
                }
                if (out.isEmpty() || out.get(out.size() - 1) != sc.to()) {
                    out.add(sc.to());
                }
            }
        }
        return out;
    }
}
