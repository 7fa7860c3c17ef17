package dev.tuntcp.stack;

/**
 * The stack's only source of time. Production uses {@link #system()}; tests use a
 * {@link VirtualClock} so retransmission and TIME-WAIT run without waiting.
 */
public interface Clock {
    /** Monotonic time in nanoseconds; only differences are meaningful. */
    long nanos();

    /** A clock backed by {@link System#nanoTime()}. */
    static Clock system() {
        return System::nanoTime;
    }
}
