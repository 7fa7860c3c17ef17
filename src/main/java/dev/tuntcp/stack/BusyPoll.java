package dev.tuntcp.stack;

/**
 * When the event loop keeps polling instead of sleeping: for a bounded window after a round that did
 * work, never while idle. The user-space counterpart of Linux's {@code SO_BUSY_POLL} /
 * {@code net.core.busy_poll}: a sleep in {@code poll(2)} costs a context switch and, on an idle
 * (virtual) CPU, a halt and an inter-processor wake-up when the next packet comes; a request/response
 * peer usually answers within microseconds, so spinning a little after activity catches the answer
 * on a CPU that is already running. The price is CPU time: up to one window of spinning per burst of
 * activity, none while nothing happens. The loop yields the CPU between rounds ({@link EventLoop}),
 * so spinning never keeps another runnable thread waiting (the kernel's loop stops on
 * {@code need_resched} for the same reason).
 *
 * <p>Loop thread only; one instance per run of the loop.
 */
final class BusyPoll {
    private final long windowNanos;
    private long until;
    private boolean armed;

    /** {@code windowNanos} 0 turns busy-polling off: the loop sleeps whenever a round finds nothing. */
    BusyPoll(long windowNanos) {
        if (windowNanos < 0) {
            throw new IllegalArgumentException("busy-poll window must be >= 0, was " + windowNanos);
        }
        this.windowNanos = windowNanos;
    }

    /**
     * Called after each round with how many units of work it did (tasks, packets, timers) and the
     * time; true means "run another round at once", false "sleep in the waiter". A round with work
     * opens (or extends) the window; rounds without work keep polling until it closes.
     */
    boolean keepPolling(int work, long nowNanos) {
        if (windowNanos == 0) {
            return false;
        }
        if (work > 0) {
            until = nowNanos + windowNanos;
            armed = true;
            return true;
        }
        // Compare by difference: System.nanoTime may be negative and wrap (its javadoc).
        if (armed && nowNanos - until < 0) {
            return true;
        }
        armed = false;
        return false;
    }
}
