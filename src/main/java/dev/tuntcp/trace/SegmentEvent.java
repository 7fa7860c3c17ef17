package dev.tuntcp.trace;

import dev.tuntcp.wire.TcpFlags;
import dev.tuntcp.wire.TcpOption;
import java.util.List;
import java.util.Objects;

/**
 * A TCP segment that arrived at ({@link Direction#IN}) or left ({@link Direction#OUT}) the stack.
 * Sequence and acknowledgment numbers are absolute, as on the wire; renderers derive relative
 * numbers with {@link SeqBases}.
 *
 * @param nanos nanoseconds since the start of the trace
 * @param source the sender's address and port
 * @param destination the receiver's address and port
 * @param flags the control bits ({@link TcpFlags})
 * @param seq SEG.SEQ
 * @param ack SEG.ACK (meaningful only with ACK set)
 * @param window the window field as on the wire (0..65535)
 * @param windowShift the window-scale shift that applies to this segment's window (RFC 7323 §2.3),
 *     or -1 when not known; never applied to a SYN (RFC 7323 §2.2: a SYN's window is unscaled)
 * @param options the options in wire order (may be empty)
 * @param payloadLength data bytes carried
 * @param stateBefore the stack's state before this segment, or null when unknown
 * @param stateAfter the stack's state after it (equal to {@code stateBefore} or null when it did not
 *     change or is not known yet; {@link StateFolding} fills it from the state changes that follow)
 * @param note free text shown with the segment (e.g. the first line of an HTTP request), or null
 */
public record SegmentEvent(long nanos, Direction direction, Endpoint source, Endpoint destination, int flags,
                           int seq, int ack, int window, int windowShift, List<TcpOption> options,
                           int payloadLength, TraceState stateBefore, TraceState stateAfter, String note)
        implements TraceEvent {
    public SegmentEvent {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        options = options == null ? List.of() : List.copyOf(options);
        if (payloadLength < 0) {
            throw new IllegalArgumentException("payloadLength < 0: " + payloadLength);
        }
        if (window < 0 || window > 0xffff) {
            throw new IllegalArgumentException("window out of range 0..65535: " + window);
        }
    }

    /** A builder for a segment travelling in {@code direction}. */
    public static Builder builder(Direction direction) {
        return new Builder(direction);
    }

    /** The connection seen from the stack: local = destination for IN, source for OUT. */
    @Override
    public ConnectionId connection() {
        return direction == Direction.IN ? new ConnectionId(destination, source) : new ConnectionId(source, destination);
    }

    /** The side that sent the segment. */
    public Side sender() {
        return Side.sender(direction);
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    public boolean isSyn() {
        return has(TcpFlags.SYN);
    }

    public boolean isFin() {
        return has(TcpFlags.FIN);
    }

    public boolean isRst() {
        return has(TcpFlags.RST);
    }

    public boolean isAck() {
        return has(TcpFlags.ACK);
    }

    /** SEG.LEN of RFC 9293 §3.4: data bytes plus one for SYN and one for FIN. */
    public int sequenceLength() {
        return payloadLength + (isSyn() ? 1 : 0) + (isFin() ? 1 : 0);
    }

    /** The sequence number just after this segment (SEG.SEQ + SEG.LEN, modulo 2^32). */
    public int seqEnd() {
        return seq + sequenceLength();
    }

    /**
     * The window in bytes after scaling, or -1 when the shift is not known. A SYN's window is never
     * scaled (RFC 7323 §2.2), so for a SYN this is the field itself.
     */
    public long scaledWindow() {
        if (isSyn()) {
            return window;
        }
        return windowShift < 0 ? -1 : (long) window << Math.min(windowShift, 14);
    }

    /** True when the stack's state is known to have changed across this segment. */
    public boolean changedState() {
        return stateBefore != null && stateAfter != null && stateBefore != stateAfter;
    }

    public SegmentEvent withStates(TraceState before, TraceState after) {
        return new SegmentEvent(nanos, direction, source, destination, flags, seq, ack, window, windowShift, options,
                payloadLength, before, after, note);
    }

    public SegmentEvent withNote(String newNote) {
        return new SegmentEvent(nanos, direction, source, destination, flags, seq, ack, window, windowShift, options,
                payloadLength, stateBefore, stateAfter, newNote);
    }

    /** Builds a {@link SegmentEvent}; unset fields are 0, empty or null. */
    public static final class Builder {
        private final Direction direction;
        private long nanos;
        private Endpoint source;
        private Endpoint destination;
        private int flags;
        private int seq;
        private int ack;
        private int window;
        private int windowShift = -1;
        private List<TcpOption> options = List.of();
        private int payloadLength;
        private TraceState stateBefore;
        private TraceState stateAfter;
        private String note;

        private Builder(Direction direction) {
            this.direction = Objects.requireNonNull(direction, "direction");
        }

        public Builder nanos(long value) {
            this.nanos = value;
            return this;
        }

        public Builder from(Endpoint value) {
            this.source = value;
            return this;
        }

        public Builder to(Endpoint value) {
            this.destination = value;
            return this;
        }

        public Builder flags(int value) {
            this.flags = value;
            return this;
        }

        public Builder seq(int value) {
            this.seq = value;
            return this;
        }

        public Builder ack(int value) {
            this.ack = value;
            return this;
        }

        public Builder window(int value) {
            this.window = value;
            return this;
        }

        public Builder windowShift(int value) {
            this.windowShift = value;
            return this;
        }

        public Builder options(List<TcpOption> value) {
            this.options = value;
            return this;
        }

        public Builder payloadLength(int value) {
            this.payloadLength = value;
            return this;
        }

        public Builder states(TraceState before, TraceState after) {
            this.stateBefore = before;
            this.stateAfter = after;
            return this;
        }

        public Builder note(String value) {
            this.note = value;
            return this;
        }

        public SegmentEvent build() {
            return new SegmentEvent(nanos, direction, source, destination, flags, seq, ack, window, windowShift,
                    options, payloadLength, stateBefore, stateAfter, note);
        }
    }
}
