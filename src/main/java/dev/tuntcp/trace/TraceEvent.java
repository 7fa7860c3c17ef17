package dev.tuntcp.trace;

/**
 * One entry of the trace stream (DESIGN §2, {@code trace}): a segment in or out, a state change, a
 * timer that fired, a drop, or a free-form annotation. The model is self-contained — it depends only
 * on {@code dev.tuntcp.wire} value types — so any producer (the TCP layer's listener, a pcap reader,
 * a lab scenario, a test) can feed the same renderers.
 *
 * <p>Events are immutable values; producers hand them to a {@link TraceSink}.
 */
public sealed interface TraceEvent permits SegmentEvent, StateChange, TimerFired, Drop, Annotation {
    /** Nanoseconds since the start of the trace (the renderers print seconds with six decimals). */
    long nanos();

    /** The connection the event belongs to, or null when it belongs to none (e.g. a global note). */
    ConnectionId connection();
}
