package dev.tuntcp.trace;

import java.util.List;

/**
 * A connection laid out as a ladder diagram, independent of how it is drawn: two lifelines (left and
 * right), and rows top to bottom — an arrow for each segment, the state each side enters, timers and
 * notes. {@link LadderBuilder} makes one from a {@link ConnectionTrace}; {@link LadderText},
 * {@link LadderSvg} and {@link LadderMermaid} draw it.
 *
 * @param leftName title of the left lifeline
 * @param rightName title of the right lifeline
 * @param leftSide which side the left lifeline is
 * @param rows in time order; the first row holds both initial states and no arrow
 */
public record Ladder(String leftName, String rightName, Side leftSide, List<Row> rows) {
    public Ladder {
        rows = List.copyOf(rows);
    }

    /** True when some state on the ladder was inferred rather than reported or observed. */
    public boolean anyInferred() {
        for (Row r : rows) {
            if (r.left() != null && r.left().inferred() || r.right() != null && r.right().inferred()) {
                return true;
            }
        }
        return false;
    }

    /** The rows that carry an arrow. */
    public List<Row> arrows() {
        return rows.stream().filter(r -> r.arrow() != null).toList();
    }

    /**
     * One row.
     *
     * @param nanos time since the start of the trace, or -1 for the initial row
     * @param arrow the segment drawn on this row, or null
     * @param left the state the left side enters on this row, or null when it does not change
     * @param right likewise for the right side
     * @param comment the explanation, timer or note of the row, or empty
     */
    public record Row(long nanos, Arrow arrow, StateCell left, StateCell right, String comment) {
        public Row {
            comment = comment == null ? "" : comment;
        }
    }

    /**
     * A segment's arrow.
     *
     * @param leftToRight direction on the page
     * @param label e.g. {@code [S.] seq 0 ack 1}
     * @param kind colour class
     * @param fate whether it reached the other side
     * @param segment the segment drawn
     * @param fact what the {@link Explainer} says it demonstrates, or null when explanations are off
     */
    public record Arrow(boolean leftToRight, String label, SegmentKind kind, Fate fate, SegmentEvent segment, Fact fact) {
    }

    /** What became of a segment. */
    public enum Fate {
        DELIVERED,
        /** Lost on the way: the arrow stops short. */
        LOST,
        /** Arrived and was dropped by the receiver: the arrow ends in a cross. */
        REFUSED
    }

    /**
     * A state shown on a lifeline.
     *
     * @param state null when unknown (printed {@code ?})
     * @param inferred true when deduced from the segments rather than reported or observed
     */
    public record StateCell(TraceState state, boolean inferred) {
        /** {@code ESTABLISHED}, {@code SYN-SENT*} when inferred, {@code ?} when unknown. */
        public String text() {
            return (state == null ? "?" : state.label()) + (inferred && state != null ? "*" : "");
        }
    }

    /** The footnote that explains the {@code *} marker. */
    public static final String INFERRED_NOTE =
            "* inferred from the segments (textbook RFC 9293 transitions), not reported by that side";
}
