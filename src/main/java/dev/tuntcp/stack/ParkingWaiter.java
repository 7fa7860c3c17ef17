package dev.tuntcp.stack;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A waiter for a threaded loop whose links deliver on their own (no file descriptor to poll), such as
 * a {@code SimLink} on real time: the loop thread parks until the timeout or a {@link #wakeup()}.
 */
public final class ParkingWaiter implements IoWaiter {
    private final AtomicBoolean woken = new AtomicBoolean();
    private volatile Thread sleeper;

    @Override
    public void await(long timeoutNanos) {
        if (timeoutNanos <= 0) {
            woken.set(false);
            return;
        }
        sleeper = Thread.currentThread();
        // A wakeup() that came before this point left the flag set: return without parking.
        if (!woken.getAndSet(false)) {
            if (timeoutNanos == Long.MAX_VALUE) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, timeoutNanos);
            }
            woken.set(false);
        }
    }

    @Override
    public void wakeup() {
        woken.set(true);
        Thread t = sleeper;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }
}
