package dev.tuntcp.lab;

import dev.tuntcp.trace.ConnectionId;
import dev.tuntcp.trace.Direction;
import dev.tuntcp.trace.Drop;
import dev.tuntcp.trace.SegmentEvent;
import dev.tuntcp.trace.Side;
import dev.tuntcp.trace.StateChange;
import dev.tuntcp.trace.TraceEvent;
import dev.tuntcp.trace.TraceState;
import dev.tuntcp.wire.TcpFlags;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Predicates over the trace for scenarios and their checks: which segment, in which direction, with
 * which control bits — {@code Seen.in(id, Seen.SYN)} is "a SYN without ACK from the kernel on id".
 * The control-bit constants compare SYN, ACK, FIN and RST exactly and ignore PSH/URG/ECE/CWR.
 */
public final class Seen {
    public static final int SYN = TcpFlags.SYN;
    public static final int SYN_ACK = TcpFlags.SYN | TcpFlags.ACK;
    public static final int ACK = TcpFlags.ACK;
    public static final int FIN_ACK = TcpFlags.FIN | TcpFlags.ACK;
    public static final int RST = TcpFlags.RST;
    public static final int RST_ACK = TcpFlags.RST | TcpFlags.ACK;
    private static final int CONTROL = TcpFlags.SYN | TcpFlags.ACK | TcpFlags.FIN | TcpFlags.RST;

    private Seen() {
    }

    /** A segment the kernel sent on {@code id} whose control bits are exactly {@code flags}. */
    public static Predicate<TraceEvent> in(ConnectionId id, int flags) {
        return e -> e instanceof SegmentEvent s && s.direction() == Direction.IN && s.connection().equals(id)
                && (s.flags() & CONTROL) == flags;
    }

    /** A segment the stack sent on {@code id} whose control bits are exactly {@code flags}. */
    public static Predicate<TraceEvent> out(ConnectionId id, int flags) {
        return e -> e instanceof SegmentEvent s && s.direction() == Direction.OUT && s.connection().equals(id)
                && (s.flags() & CONTROL) == flags;
    }

    /** The same as a segment predicate (for the link's hooks). */
    public static Predicate<SegmentEvent> segment(Direction direction, ConnectionId id, int flags) {
        return s -> s.direction() == direction && s.connection().equals(id) && (s.flags() & CONTROL) == flags;
    }

    /** A segment with data on {@code id} sent in {@code direction}. */
    public static Predicate<TraceEvent> data(ConnectionId id, Direction direction) {
        return e -> e instanceof SegmentEvent s && s.direction() == direction && s.connection().equals(id)
                && s.payloadLength() > 0;
    }

    /** The stack entering {@code state} on {@code id}. */
    public static Predicate<TraceEvent> stackEnters(ConnectionId id, TraceState state) {
        return e -> e instanceof StateChange sc && sc.side() == Side.STACK && sc.connection().equals(id)
                && sc.to() == state;
    }

    /** A segment lost on the link. */
    public static Predicate<TraceEvent> lost(ConnectionId id) {
        return e -> e instanceof Drop d && d.isLost() && id.equals(d.connection());
    }

    /** The segments of {@code events} in order. */
    public static List<SegmentEvent> segments(List<TraceEvent> events, ConnectionId id) {
        return events.stream().filter(e -> e instanceof SegmentEvent s && s.connection().equals(id))
                .map(e -> (SegmentEvent) e).toList();
    }

    /** The first segment of {@code events} that matches, if any. */
    public static Optional<SegmentEvent> first(List<TraceEvent> events, Predicate<TraceEvent> match) {
        return events.stream().filter(match).map(e -> (SegmentEvent) e).findFirst();
    }

    /** How many segments of {@code events} match. */
    public static long count(List<TraceEvent> events, Predicate<TraceEvent> match) {
        return events.stream().filter(match).count();
    }

    /** Relative distance from {@code base} to {@code value} (modulo 2^32), for explanations. */
    public static long rel(int value, int base) {
        return Integer.toUnsignedLong(value - base);
    }

    /** The unsigned decimal of a sequence number. */
    public static String abs(int value) {
        return Long.toString(Integer.toUnsignedLong(value));
    }
}
