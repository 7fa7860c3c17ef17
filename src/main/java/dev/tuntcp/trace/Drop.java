package dev.tuntcp.trace;

import java.util.Objects;

/**
 * A segment was dropped: by the stack (the reason is the name of its drop-reason enum constant,
 * e.g. {@code OUT_OF_WINDOW}) or on the way (reason {@link #LOST}, e.g. by the impairment layer in a
 * lab scenario that loses the final ACK).
 *
 * @param connection the connection, or null when the segment matched none
 * @param segment the dropped segment when known (the ladders then draw its arrow as lost or
 *     refused), else null
 */
public record Drop(long nanos, ConnectionId connection, String reason, SegmentEvent segment) implements TraceEvent {
    /** Reason for a segment lost in transit rather than refused by the receiver. */
    public static final String LOST = "LOST";

    public Drop {
        Objects.requireNonNull(reason, "reason");
        if (connection == null && segment != null) {
            connection = segment.connection();
        }
    }

    /** The segment was lost in transit (its arrow never reaches the other side). */
    public static Drop lost(SegmentEvent segment) {
        return new Drop(segment.nanos(), segment.connection(), LOST, segment);
    }

    /** True when the segment never reached its receiver. */
    public boolean isLost() {
        return LOST.equals(reason);
    }
}
