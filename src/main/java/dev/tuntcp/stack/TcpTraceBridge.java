package dev.tuntcp.stack;

import dev.tuntcp.tcp.Connection;
import dev.tuntcp.tcp.Segment;
import dev.tuntcp.tcp.TcpDrop;
import dev.tuntcp.tcp.TcpState;
import dev.tuntcp.tcp.TcpTimerKind;
import dev.tuntcp.tcp.TcpTraceListener;
import dev.tuntcp.trace.ConnectionId;
import dev.tuntcp.trace.Direction;
import dev.tuntcp.trace.Drop;
import dev.tuntcp.trace.Endpoint;
import dev.tuntcp.trace.SegmentEvent;
import dev.tuntcp.trace.StateChange;
import dev.tuntcp.trace.TimerFired;
import dev.tuntcp.trace.TraceSink;
import dev.tuntcp.trace.TraceOptions;
import dev.tuntcp.trace.TraceState;

/**
 * Turns TCP's event stream ({@link TcpTraceListener}, on the event loop) into the trace model that
 * {@code --trace}, {@code demo} and {@code lab} render, one event per call. Only installed when
 * tracing is on, so its allocations cost nothing otherwise. Renderers fold each state change into
 * the segment that caused it ({@link dev.tuntcp.trace.StateFolding}).
 */
public final class TcpTraceBridge implements TcpTraceListener {
    private final TraceSink sink;
    private final long originNanos;

    /** @param originNanos the clock reading that counts as time 0 in the trace */
    public TcpTraceBridge(TraceSink sink, long originNanos) {
        this.sink = sink;
        this.originNanos = originNanos;
    }

    @Override
    public void segmentIn(long nanos, Connection connection, Segment segment, TcpState state) {
        sink.accept(describe(nanos, Direction.IN, segment).states(map(state), null).build());
    }

    @Override
    public void stateChanged(long nanos, Connection connection, TcpState from, TcpState to) {
        sink.accept(StateChange.stack(nanos - originNanos, id(connection), map(from), map(to)));
    }

    @Override
    public void segmentOut(long nanos, Connection connection, Segment segment, TcpState state) {
        sink.accept(describe(nanos, Direction.OUT, segment).states(map(state), null).build());
    }

    @Override
    public void timerFired(long nanos, Connection connection, TcpTimerKind kind) {
        sink.accept(new TimerFired(nanos - originNanos, id(connection), kind.name()));
    }

    @Override
    public void dropped(long nanos, Connection connection, Segment segment, TcpDrop reason) {
        SegmentEvent seg = segment == null ? null : describe(nanos, Direction.IN, segment).build();
        ConnectionId cid = connection != null ? id(connection) : null;
        sink.accept(new Drop(nanos - originNanos, cid, reason.name(), seg));
    }

    private SegmentEvent.Builder describe(long nanos, Direction direction, Segment s) {
        return SegmentEvent.builder(direction)
                .nanos(nanos - originNanos)
                .from(new Endpoint(s.sourceAddress, s.sourcePort))
                .to(new Endpoint(s.destinationAddress, s.destinationPort))
                .flags(s.flags)
                .seq(s.seq)
                .ack(s.ack)
                .window(s.window)
                .options(TraceOptions.of(s.mss, s.sackPermitted, s.hasTimestamps, s.tsVal, s.tsEcr,
                        s.windowScale, s.sackLeft, s.sackRight, s.sackBlockCount))
                .payloadLength(s.dataLength);
    }

    private static ConnectionId id(Connection c) {
        return new ConnectionId(new Endpoint(c.localAddress(), c.localPort()),
                new Endpoint(c.remoteAddress(), c.remotePort()));
    }

    static TraceState map(TcpState state) {
        return state == null ? null : TraceState.valueOf(state.name());
    }
}
