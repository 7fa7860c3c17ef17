package dev.tuntcp.tcp;

/**
 * Receives TCP's event stream for {@code --trace} and the ladder renderers: segments in and out,
 * state changes, timers and drops. Every method has an empty default, so a listener overrides only
 * what it needs. All calls come from the event-loop thread. The segments passed are borrowed for the
 * call (see {@link Segment}); a listener that keeps anything copies it.
 *
 * <p>Order: {@link #segmentIn} is reported before the segment is processed; the state changes it
 * causes follow, and only then the segments sent in response. A renderer can therefore print an
 * arriving segment and the transition it caused on one line ({@code LISTEN → SYN-RECEIVED}).
 *
 * <p>When no listener is installed the stack makes no calls and allocates nothing for tracing.
 */
public interface TcpTraceListener {

    /**
     * A segment arrived. {@code connection} is null when it matched no connection; {@code state} is
     * then {@link TcpState#LISTEN} (a listener takes it) or {@link TcpState#CLOSED} (nothing does).
     */
    default void segmentIn(long nanos, Connection connection, Segment segment, TcpState state) {
    }

    /** A segment was sent; {@code connection} is null for an RST that answers a closed port. */
    default void segmentOut(long nanos, Connection connection, Segment segment, TcpState state) {
    }

    /** A connection changed state (for a new passive connection {@code from} is LISTEN). */
    default void stateChanged(long nanos, Connection connection, TcpState from, TcpState to) {
    }

    /** A connection's timer expired (reported before its action runs). */
    default void timerFired(long nanos, Connection connection, TcpTimerKind kind) {
    }

    /** A segment, or the part of it named by {@code reason}, was dropped. */
    default void dropped(long nanos, Connection connection, Segment segment, TcpDrop reason) {
    }
}
