package dev.tuntcp.stack;

/**
 * A reusable timer owned by one object (a connection's retransmission timer, a reassembly timeout).
 * Scheduling an existing timer object allocates nothing, which keeps the hot path allocation free.
 */
public abstract class Timer {
    long deadline;
    int heapIndex = -1;

    /** Called on the event loop when the deadline has passed. */
    protected abstract void onExpire();

    public final boolean isScheduled() {
        return heapIndex >= 0;
    }

    /** The absolute deadline in {@link Clock#nanos()} time; meaningful only while scheduled. */
    public final long deadline() {
        return deadline;
    }
}
