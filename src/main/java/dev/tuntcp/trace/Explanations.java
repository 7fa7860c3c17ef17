package dev.tuntcp.trace;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link Explainer}'s answers, keyed by the very event objects it was given (two identical
 * retransmissions are still two events).
 */
public final class Explanations {
    private final Map<TraceEvent, Explanation> byEvent = new IdentityHashMap<>();

    void put(TraceEvent event, Explanation explanation) {
        byEvent.put(event, explanation);
    }

    /** The explanation of {@code event}, or null when it has none (annotations, state changes). */
    public Explanation get(TraceEvent event) {
        return byEvent.get(event);
    }

    /** The explanations of {@code events} in order, skipping events without one. */
    public List<Explanation> inOrder(List<? extends TraceEvent> events) {
        List<Explanation> out = new ArrayList<>();
        for (TraceEvent e : events) {
            Explanation x = byEvent.get(e);
            if (x != null) {
                out.add(x);
            }
        }
        return out;
    }

    public int size() {
        return byEvent.size();
    }
}
