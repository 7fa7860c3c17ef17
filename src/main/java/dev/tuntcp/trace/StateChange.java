package dev.tuntcp.trace;

import java.util.Objects;

/**
 * A connection changed state. For {@link Side#STACK} this is what the state machine reports; for
 * {@link Side#PEER} it is an observation the caller made, e.g. the kernel's state read from
 * {@code ss -tan} or /proc/net/tcp — the ladders print such observations as given, not inferred.
 *
 * @param from the previous state, or null when unknown (an observation usually has none)
 * @param to the new state
 */
public record StateChange(long nanos, ConnectionId connection, Side side, TraceState from, TraceState to)
        implements TraceEvent {
    public StateChange {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(to, "to");
    }

    /** The stack moved from {@code from} to {@code to}. */
    public static StateChange stack(long nanos, ConnectionId connection, TraceState from, TraceState to) {
        return new StateChange(nanos, connection, Side.STACK, from, to);
    }

    /** The peer was observed in {@code state} (e.g. from {@code ss -tan}). */
    public static StateChange peerObserved(long nanos, ConnectionId connection, TraceState state) {
        return new StateChange(nanos, connection, Side.PEER, null, state);
    }
}
