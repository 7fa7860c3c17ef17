package dev.tuntcp.trace;

import java.util.Objects;

/**
 * One of the stack's per-connection timers expired (reported before its action runs).
 *
 * @param timer the timer's name as the stack calls it, e.g. {@code RETRANSMIT}, {@code TIME_WAIT},
 *     {@code FIN_WAIT_2}; the {@link Explainer} recognises the first two
 */
public record TimerFired(long nanos, ConnectionId connection, String timer) implements TraceEvent {
    public static final String RETRANSMIT = "RETRANSMIT";
    public static final String TIME_WAIT = "TIME_WAIT";

    public TimerFired {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(timer, "timer");
    }

    /** True when this is the timer named {@code name} (case and {@code -}/{@code _} ignored). */
    public boolean is(String name) {
        return normalise(timer).equals(normalise(name));
    }

    private static String normalise(String s) {
        return s.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }
}
