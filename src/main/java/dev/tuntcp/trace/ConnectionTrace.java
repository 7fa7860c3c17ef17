package dev.tuntcp.trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The events of one connection, in trace order: what a ladder and the {@link Explainer} work on.
 * Annotations that name no connection belong to every connection of the trace.
 */
public final class ConnectionTrace {
    private final ConnectionId id;
    private final List<TraceEvent> events;

    private ConnectionTrace(ConnectionId id, List<TraceEvent> events) {
        this.id = id;
        this.events = List.copyOf(events);
    }

    /** The events of {@code id} among {@code events} (plus annotations that name no connection). */
    public static ConnectionTrace of(ConnectionId id, List<? extends TraceEvent> events) {
        Objects.requireNonNull(id, "id");
        List<TraceEvent> mine = new ArrayList<>();
        for (TraceEvent e : events) {
            if (e.connection() == null ? e instanceof Annotation : e.connection().equals(id)) {
                mine.add(e);
            }
        }
        return new ConnectionTrace(id, mine);
    }

    /**
     * One trace per connection in {@code events}, in the order each first appears. Events that name
     * no connection other than annotations (there are none today) are left out.
     */
    public static List<ConnectionTrace> split(List<? extends TraceEvent> events) {
        Map<ConnectionId, Boolean> seen = new LinkedHashMap<>();
        for (TraceEvent e : events) {
            if (e.connection() != null) {
                seen.putIfAbsent(e.connection(), Boolean.TRUE);
            }
        }
        List<ConnectionTrace> out = new ArrayList<>(seen.size());
        for (ConnectionId id : seen.keySet()) {
            out.add(of(id, events));
        }
        return out;
    }

    /**
     * The single connection of {@code events}, or the first when there are several.
     *
     * @throws IllegalArgumentException when no event names a connection
     */
    public static ConnectionTrace single(List<? extends TraceEvent> events) {
        List<ConnectionTrace> all = split(events);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("the trace holds no connection");
        }
        return all.get(0);
    }

    public ConnectionId id() {
        return id;
    }

    /** All events of the connection, in order. */
    public List<TraceEvent> events() {
        return events;
    }

    /** Only the segments, in order. */
    public List<SegmentEvent> segments() {
        List<SegmentEvent> out = new ArrayList<>();
        for (TraceEvent e : events) {
            if (e instanceof SegmentEvent s) {
                out.add(s);
            }
        }
        return out;
    }

    /** The side that sent the first SYN without ACK (the active opener), or null when none did. */
    public Side client() {
        for (TraceEvent e : events) {
            if (e instanceof SegmentEvent s && s.isSyn() && !s.isAck()) {
                return s.sender();
            }
        }
        return null;
    }
}
