package dev.tuntcp.trace;

import dev.tuntcp.trace.Ladder.Arrow;
import dev.tuntcp.trace.Ladder.Fate;
import dev.tuntcp.trace.Ladder.Row;
import dev.tuntcp.trace.Ladder.StateCell;
import dev.tuntcp.wire.TcpFlags;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a {@link ConnectionTrace} into a {@link Ladder}. The stack's states are taken as reported
 * (folded into segments by {@link StateFolding}); the peer's are inferred with
 * {@link StateInference} and marked, except where the caller supplied an observation
 * ({@link StateChange#peerObserved}), which is shown as given and inference continues from it. When
 * the trace holds no stack states at all (e.g. one rebuilt from a capture), the stack's are
 * inferred too.
 */
public final class LadderBuilder {
    private static final int MAX_NOTE = 32;

    private LadderBuilder() {
    }

    public static Ladder build(ConnectionTrace trace, LadderOptions options) {
        List<TraceEvent> events = StateFolding.fold(trace.events());
        ConnectionTrace folded = ConnectionTrace.of(trace.id(), events);
        List<SegmentEvent> segments = folded.segments();
        Explanations explanations = options.explain() ? Explainer.explain(folded) : new Explanations();
        DropMatching drops = new DropMatching(events);
        Side left = leftSide(options.orientation(), folded);

        boolean stackReported = stackReported(events);
        TraceState[] guess = StateInference.guessInitial(segments);
        TraceState stackInitial = stackReported ? firstStackState(events) : guess[Side.STACK.ordinal()];
        StateInference inference = new StateInference(stackInitial, guess[Side.PEER.ordinal()], segments);
        StateCell[] shown = {new StateCell(stackInitial, !stackReported), new StateCell(guess[Side.PEER.ordinal()], true)};

        List<Row> rows = new ArrayList<>();
        rows.add(row(-1, null, left, shown[Side.STACK.ordinal()], shown[Side.PEER.ordinal()], ""));
        SeqBases bases = new SeqBases();
        int[] peerRow = {0};
        TraceState observedBeforeSending = null;
        for (int i = 0; i < events.size(); i++) {
            TraceEvent e = events.get(i);
            if (e instanceof SegmentEvent s) {
                bases.learn(s);
                Drop drop = drops.dropOf.get(s);
                if (observedBeforeSending != null && s.sender() == Side.PEER
                        && inference.after(s, drop == null, Side.PEER) != observedBeforeSending) {
                    // The peer was already in the observed state before this segment reached us, and the
                    // segment does not explain it (e.g. the application closed while its data was on the
                    // way): show the observation on a row of its own, before the segment.
                    StateCell cell = observed(observedBeforeSending, shown, inference);
                    peerRow[0] = rows.size();
                    rows.add(row(s.nanos(), null, left, null, cell, ""));
                    observedBeforeSending = null;
                }
                inference.onSegment(s, drop == null);
                StateCell stack = stackReported ? reported(s, shown, inference) : inferred(Side.STACK, shown, inference);
                StateCell peer;
                if (observedBeforeSending != null && s.sender() == Side.PEER) {
                    peer = observed(observedBeforeSending, shown, inference);
                    observedBeforeSending = null;
                } else {
                    peer = inferred(Side.PEER, shown, inference);
                }
                if (peer != null) {
                    peerRow[0] = rows.size();
                }
                rows.add(segmentRow(s, drop, left, stack, peer, explanations.get(s), bases, options));
            } else if (e instanceof StateChange sc && sc.side() == Side.PEER) {
                if (sc.to() == shown[Side.PEER.ordinal()].state()) {
                    confirm(rows, peerRow[0], left, shown);
                } else if (!justAfterStackSegment(events, i) && nextIsSentByPeer(events, i)) {
                    observedBeforeSending = sc.to(); // shown on that segment's row: its sender's state
                } else if (lastArrowFromStack(rows, left)) {
                    // The peer's state after receiving our latest segment: shown on that segment's row.
                    StateCell cell = observed(sc.to(), shown, inference);
                    Row last = rows.get(rows.size() - 1);
                    rows.set(rows.size() - 1, withPeer(last, left, cell));
                    peerRow[0] = rows.size() - 1;
                } else {
                    StateCell cell = observed(sc.to(), shown, inference);
                    peerRow[0] = rows.size();
                    rows.add(row(sc.nanos(), null, left, null, cell, ""));
                }
            } else if (e instanceof StateChange sc) {
                StateCell cell = new StateCell(sc.to(), false);
                shown[sc.side().ordinal()] = cell;
                inference.set(sc.side(), sc.to());
                rows.add(row(sc.nanos(), null, left, sc.side() == Side.STACK ? cell : null,
                        sc.side() == Side.PEER ? cell : null, sc.side() == Side.PEER ? "observed" : ""));
            } else if (e instanceof TimerFired t) {
                Explanation x = explanations.get(t);
                rows.add(row(t.nanos(), null, left, null, null,
                        "timer " + OneLine.of(t.timer()) + " fired" + (x == null ? "" : ": " + x.text())));
            } else if (e instanceof Annotation a) {
                rows.add(row(a.nanos(), null, left, null, null, OneLine.of(a.text())));
            } else if (e instanceof Drop d && !drops.matched.contains(d)) {
                if (d.segment() != null) {
                    bases.learn(d.segment());
                    inference.onSegment(d.segment(), false);
                    rows.add(segmentRow(d.segment(), d, left, inferred(Side.STACK, shown, inference, !stackReported),
                            inferred(Side.PEER, shown, inference), explanations.get(d.segment()), bases, options));
                } else {
                    rows.add(row(d.nanos(), null, left, null, null, "dropped: " + OneLine.of(d.reason())));
                }
            }
        }
        ConnectionId id = trace.id();
        String peerName = options.peerName() != null ? options.peerName() : "peer " + id.remote();
        String stackName = options.stackName() != null ? options.stackName() : "tuntcp " + id.local();
        return left == Side.PEER ? new Ladder(peerName, stackName, left, rows) : new Ladder(stackName, peerName, left, rows);
    }

    /** An observed state of the peer (not inferred); inference continues from it. */
    private static StateCell observed(TraceState state, StateCell[] shown, StateInference inference) {
        inference.set(Side.PEER, state);
        StateCell cell = new StateCell(state, false);
        shown[Side.PEER.ordinal()] = cell;
        return cell;
    }

    /** An observation confirmed the inferred peer state shown on row {@code index}: drop its mark. */
    private static void confirm(List<Row> rows, int index, Side left, StateCell[] shown) {
        StateCell current = shown[Side.PEER.ordinal()];
        if (!current.inferred()) {
            return;
        }
        StateCell cell = new StateCell(current.state(), false);
        shown[Side.PEER.ordinal()] = cell;
        rows.set(index, withPeer(rows.get(index), left, cell));
    }

    private static Row withPeer(Row r, Side left, StateCell peer) {
        return left == Side.STACK ? new Row(r.nanos(), r.arrow(), r.left(), peer, r.comment())
                : new Row(r.nanos(), r.arrow(), peer, r.right(), r.comment());
    }

    /** True when the next segment event after index {@code i} — before any other state change — was sent by the peer. */
    private static boolean nextIsSentByPeer(List<TraceEvent> events, int i) {
        for (int j = i + 1; j < events.size(); j++) {
            TraceEvent e = events.get(j);
            if (e instanceof SegmentEvent s) {
                return s.sender() == Side.PEER;
            }
            if (e instanceof StateChange || e instanceof Drop) {
                return false;
            }
        }
        return false;
    }

    /** True when the event before index {@code i} (notes aside) is a segment the stack sent. */
    private static boolean justAfterStackSegment(List<TraceEvent> events, int i) {
        for (int j = i - 1; j >= 0; j--) {
            TraceEvent e = events.get(j);
            if (!(e instanceof Annotation)) {
                return e instanceof SegmentEvent s && s.sender() == Side.STACK;
            }
        }
        return false;
    }

    private static boolean lastArrowFromStack(List<Row> rows, Side left) {
        Row last = rows.get(rows.size() - 1);
        return last.arrow() != null && last.arrow().segment().sender() == Side.STACK;
    }

    private static Side leftSide(LadderOptions.Orientation orientation, ConnectionTrace trace) {
        switch (orientation) {
            case STACK_LEFT:
                return Side.STACK;
            case CLIENT_LEFT:
                return trace.client() != null ? trace.client() : Side.PEER;
            default:
                return Side.PEER;
        }
    }

    private static boolean stackReported(List<TraceEvent> events) {
        for (TraceEvent e : events) {
            if (e instanceof SegmentEvent s && (s.stateBefore() != null || s.stateAfter() != null)
                    || e instanceof StateChange sc && sc.side() == Side.STACK) {
                return true;
            }
        }
        return false;
    }

    private static TraceState firstStackState(List<TraceEvent> events) {
        for (TraceEvent e : events) {
            if (e instanceof SegmentEvent s && (s.stateBefore() != null || s.stateAfter() != null)) {
                return s.stateBefore() != null ? s.stateBefore() : s.stateAfter();
            }
            if (e instanceof StateChange sc && sc.side() == Side.STACK) {
                return sc.from() != null ? sc.from() : sc.to();
            }
        }
        return null;
    }

    /** The stack's state after {@code s} as reported, when it differs from what is shown. */
    private static StateCell reported(SegmentEvent s, StateCell[] shown, StateInference inference) {
        TraceState now = s.stateAfter() != null ? s.stateAfter() : s.stateBefore();
        if (now == null || now == shown[Side.STACK.ordinal()].state()) {
            return null;
        }
        inference.set(Side.STACK, now);
        StateCell cell = new StateCell(now, false);
        shown[Side.STACK.ordinal()] = cell;
        return cell;
    }

    private static StateCell inferred(Side side, StateCell[] shown, StateInference inference) {
        return inferred(side, shown, inference, true);
    }

    private static StateCell inferred(Side side, StateCell[] shown, StateInference inference, boolean apply) {
        TraceState now = inference.state(side);
        if (!apply || now == null || now == shown[side.ordinal()].state()) {
            return null;
        }
        StateCell cell = new StateCell(now, true);
        shown[side.ordinal()] = cell;
        return cell;
    }

    private static Row row(long nanos, Arrow arrow, Side left, StateCell stack, StateCell peer, String comment) {
        return left == Side.STACK ? new Row(nanos, arrow, stack, peer, comment) : new Row(nanos, arrow, peer, stack, comment);
    }

    private static Row segmentRow(SegmentEvent s, Drop drop, Side left, StateCell stack, StateCell peer,
                                  Explanation x, SeqBases bases, LadderOptions options) {
        Fate fate = drop == null ? Fate.DELIVERED : drop.isLost() ? Fate.LOST : Fate.REFUSED;
        Arrow arrow = new Arrow(s.sender() == left, label(s, bases, options), SegmentKind.of(s), fate, s,
                x == null ? null : x.fact());
        String comment = x == null ? "" : x.text();
        if (fate == Fate.LOST) {
            comment = "LOST on the way" + (comment.isEmpty() ? "" : " — " + comment);
        } else if (fate == Fate.REFUSED) {
            comment = "dropped by the receiver: " + OneLine.of(drop.reason()) + (comment.isEmpty() ? "" : " — " + comment);
        }
        return row(s.nanos(), arrow, left, stack, peer, comment);
    }

    /** {@code [P.] seq 1:79 ack 1 len 78}: flags, numbers, then what the options ask for. */
    static String label(SegmentEvent s, SeqBases bases, LadderOptions options) {
        StringBuilder sb = new StringBuilder(48).append('[');
        TcpFlags.append(sb, s.flags()).append(']');
        boolean bareAck = s.isAck() && s.sequenceLength() == 0 && !s.isRst();
        if (!bareAck) {
            sb.append(" seq ");
            range(sb, s.seq(), bases.relativeSeq(s), s.payloadLength(), options.numbers());
        }
        if (s.isAck()) {
            sb.append(" ack ");
            range(sb, s.ack(), bases.relativeAck(s), 0, options.numbers());
        }
        if (s.payloadLength() > 0) {
            sb.append(" len ").append(s.payloadLength());
        }
        if (options.window()) {
            sb.append(" win ").append(s.window());
        }
        if (options.options() && !s.options().isEmpty()) {
            sb.append(" <").append(TraceOptions.text(s.options())).append('>');
        }
        if (s.note() != null && !s.note().isBlank()) {
            String note = OneLine.of(s.note()).strip().replaceAll("\\s+", " ");
            sb.append(" \"").append(note.length() > MAX_NOTE ? note.substring(0, MAX_NOTE - 1) + "…" : note).append('"');
        }
        return sb.toString();
    }

    /** {@code 1:79}, {@code 3571820115:3571820193} or {@code 1:79 (abs 3571820115)}. */
    private static void range(StringBuilder sb, int absolute, long relative, int length, SeqStyle style) {
        boolean abs = style == SeqStyle.ABSOLUTE || relative < 0;
        long from = abs ? Integer.toUnsignedLong(absolute) : relative;
        sb.append(from);
        if (length > 0) {
            sb.append(':').append((from + length) & 0xffff_ffffL);
        }
        if (!abs && style == SeqStyle.BOTH) {
            sb.append(" (abs ").append(Integer.toUnsignedLong(absolute)).append(')');
        }
    }
}
