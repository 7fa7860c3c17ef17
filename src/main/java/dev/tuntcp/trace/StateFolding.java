package dev.tuntcp.trace;

import java.util.ArrayList;
import java.util.List;

/**
 * Attaches the stack's state changes to the segment that caused them, so a trace line can read
 * {@code … [S] seq 0 …  LISTEN → SYN-RECEIVED} (DESIGN §4). The state machine reports an arriving
 * segment first, then the transitions it caused, then the segments sent in reply; and for a user
 * call (CLOSE) the transition first, then the segment it sends. So:
 * <ul>
 *   <li>a {@link Side#STACK} {@link StateChange} directly after an {@link Direction#IN} segment of
 *       the same connection is folded into that segment ({@code stateAfter}) — unless it is a
 *       transition only a user call makes (into SYN-SENT, FIN-WAIT-1 or LAST-ACK: OPEN or CLOSE,
 *       RFC 9293 §3.10.1 and §3.10.4), which belongs to the segment the call sends;</li>
 *   <li>otherwise, one directly before an {@link Direction#OUT} segment of the same connection is
 *       folded into that segment (e.g. {@code ESTABLISHED → FIN-WAIT-1} on the FIN);</li>
 *   <li>any other state change passes through on its own.</li>
 * </ul>
 * Used as a sink it holds back at most one segment and the state changes that follow it until the
 * next event or {@link #flush()}; the producer calls flush at the end of each event-loop iteration.
 * Not thread-safe: one producer thread.
 */
public final class StateFolding implements TraceSink {
    private final TraceSink downstream;
    private SegmentEvent pendingIn;
    private final List<StateChange> pendingChanges = new ArrayList<>(2);

    public StateFolding(TraceSink downstream) {
        this.downstream = java.util.Objects.requireNonNull(downstream, "downstream");
    }

    /** The folded form of a recorded event list. */
    public static List<TraceEvent> fold(List<? extends TraceEvent> events) {
        List<TraceEvent> out = new ArrayList<>(events.size());
        StateFolding folding = new StateFolding(out::add);
        events.forEach(folding::accept);
        folding.flush();
        return out;
    }

    @Override
    public void accept(TraceEvent event) {
        if (event instanceof StateChange sc && sc.side() == Side.STACK) {
            acceptStackChange(sc);
            return;
        }
        if (event instanceof SegmentEvent s && s.direction() == Direction.OUT && !pendingChanges.isEmpty()
                && pendingChanges.get(0).connection().equals(s.connection())) {
            StateChange first = pendingChanges.get(0);
            StateChange last = pendingChanges.get(pendingChanges.size() - 1);
            TraceState before = first.from() != null ? first.from() : s.stateBefore();
            pendingChanges.clear();
            downstream.accept(s.withStates(before, last.to()));
            return;
        }
        emitPending();
        if (event instanceof SegmentEvent s && s.direction() == Direction.IN) {
            pendingIn = s;
        } else {
            downstream.accept(event);
        }
    }

    private void acceptStackChange(StateChange sc) {
        if (pendingIn != null && pendingIn.connection().equals(sc.connection()) && !byUserCall(sc.to())) {
            TraceState before = pendingIn.stateBefore() != null ? pendingIn.stateBefore() : sc.from();
            pendingIn = pendingIn.withStates(before, sc.to());
            return;
        }
        emitIn();
        if (!pendingChanges.isEmpty() && !pendingChanges.get(0).connection().equals(sc.connection())) {
            emitChanges();
        }
        pendingChanges.add(sc);
    }

    /** States entered only through OPEN or CLOSE, never because a segment arrived. */
    private static boolean byUserCall(TraceState to) {
        return to == TraceState.SYN_SENT || to == TraceState.FIN_WAIT_1 || to == TraceState.LAST_ACK;
    }

    @Override
    public void flush() {
        emitPending();
        downstream.flush();
    }

    private void emitPending() {
        emitIn();
        emitChanges();
    }

    private void emitIn() {
        if (pendingIn != null) {
            SegmentEvent s = pendingIn;
            pendingIn = null;
            downstream.accept(s);
        }
    }

    private void emitChanges() {
        for (StateChange sc : pendingChanges) {
            downstream.accept(sc);
        }
        pendingChanges.clear();
    }
}
