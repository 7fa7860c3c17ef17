package dev.tuntcp.trace;

import java.util.Objects;

/**
 * Free text placed in the trace by a scenario or the CLI, e.g. "client sends the request" or
 * "kernel state read with ss -tan". Renderers show it at its place in time.
 *
 * @param connection the connection it belongs to, or null for every connection of the trace
 */
public record Annotation(long nanos, ConnectionId connection, String text) implements TraceEvent {
    public Annotation {
        Objects.requireNonNull(text, "text");
    }
}
