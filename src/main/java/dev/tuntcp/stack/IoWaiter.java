package dev.tuntcp.stack;

/**
 * How the event loop sleeps between rounds: on a TUN device it is {@code poll(2)} on the device fd
 * plus an eventfd for wake-ups; in simulation it is a no-op because virtual time is advanced by the
 * test.
 */
public interface IoWaiter {
    /**
     * Blocks until the link may have packets to read, {@link #wakeup()} is called, or the timeout
     * passes. A timeout of 0 returns at once; {@link Long#MAX_VALUE} waits without limit.
     */
    void await(long timeoutNanos);

    /** Wakes a thread blocked in {@link #await}; callable from any thread. */
    void wakeup();

    /** A waiter that never blocks: for manual loops in virtual time. */
    static IoWaiter none() {
        return NoopWaiter.INSTANCE;
    }
}
