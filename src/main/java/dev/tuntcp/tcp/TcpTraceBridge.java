package dev.tuntcp.tcp;

import dev.tuntcp.stack.Clock;
import dev.tuntcp.trace.ConnectionId;
import dev.tuntcp.trace.Direction;
import dev.tuntcp.trace.Drop;
import dev.tuntcp.trace.Endpoint;
import dev.tuntcp.trace.SegmentEvent;
import dev.tuntcp.trace.StateChange;
import dev.tuntcp.trace.TimerFired;
import dev.tuntcp.trace.TraceOptions;
import dev.tuntcp.trace.TraceSink;
import dev.tuntcp.trace.TraceState;

/**
 * Turns TCP's {@link TcpTraceListener} calls into {@code trace} events for a {@link TraceSink}
 * ({@code --trace} lines, ladders), one to one and in the same order: segment in (with the state it
 * found), the state changes it caused, the segments sent in reply. Times are relative to the bridge's
 * creation. Tracing allocates (events are values); it is only installed when asked for.
 */
public final class TcpTraceBridge implements TcpTraceListener {
    private final TraceSink sink;
    private final long start;

    public TcpTraceBridge(TraceSink sink, Clock clock) {
        this.sink = sink;
        this.start = clock.nanos();
    }

    @Override
    public void segmentIn(long nanos, Connection connection, Segment segment, TcpState state) {
        int shift = connection == null ? -1 : connection.sndWscale;
        sink.accept(event(Direction.IN, nanos, segment, state, shift));
    }

    @Override
    public void segmentOut(long nanos, Connection connection, Segment segment, TcpState state) {
        int shift = connection == null ? -1 : connection.rcvWscale;
        sink.accept(event(Direction.OUT, nanos, segment, state, shift));
    }

    @Override
    public void stateChanged(long nanos, Connection connection, TcpState from, TcpState to) {
        sink.accept(StateChange.stack(nanos - start, id(connection), map(from), map(to)));
    }

    @Override
    public void timerFired(long nanos, Connection connection, TcpTimerKind kind) {
        sink.accept(new TimerFired(nanos - start, id(connection), kind.name()));
    }

    @Override
    public void dropped(long nanos, Connection connection, Segment segment, TcpDrop reason) {
        SegmentEvent seg = segment == null ? null : event(Direction.IN, nanos, segment, null, -1);
        ConnectionId id = connection == null ? null : id(connection);
        sink.accept(new Drop(nanos - start, id, reason.name(), seg));
    }

    private SegmentEvent event(Direction direction, long nanos, Segment s, TcpState state, int shift) {
        TraceState before = state == null ? null : map(state);
        return SegmentEvent.builder(direction)
                .nanos(nanos - start)
                .from(new Endpoint(s.sourceAddress, s.sourcePort))
                .to(new Endpoint(s.destinationAddress, s.destinationPort))
                .flags(s.flags)
                .seq(s.seq)
                .ack(s.ack)
                .window(s.window & 0xffff)
                .windowShift((s.flags & Segment.SYN) != 0 ? -1 : shift)
                .options(TraceOptions.of(s.mss, s.sackPermitted, s.hasTimestamps, s.tsVal, s.tsEcr, s.windowScale,
                        s.sackLeft, s.sackRight, s.sackBlockCount))
                .payloadLength(s.dataLength)
                .states(before, before)
                .build();
    }

    private static ConnectionId id(Connection c) {
        return new ConnectionId(new Endpoint(c.localAddress, c.localPort), new Endpoint(c.remoteAddress, c.remotePort));
    }

    private static TraceState map(TcpState s) {
        return TraceState.valueOf(s.name());
    }
}
