package dev.tuntcp.stack;

/** A clock that moves only when a test (or a simulated link) advances it. */
public final class VirtualClock implements Clock {
    private long now;

    public VirtualClock() {
        this(0);
    }

    public VirtualClock(long startNanos) {
        this.now = startNanos;
    }

    @Override
    public long nanos() {
        return now;
    }

    /** Moves time forward; negative steps are refused because time in the stack is monotonic. */
    public void advance(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("virtual time cannot go backwards: " + nanos);
        }
        now += nanos;
    }

    /** Sets the absolute time, which must not be earlier than now. */
    public void setNanos(long nanos) {
        advance(nanos - now);
    }
}
