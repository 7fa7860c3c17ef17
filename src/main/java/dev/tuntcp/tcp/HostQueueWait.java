package dev.tuntcp.tcp;

import dev.tuntcp.stack.Timer;

/**
 * What the retransmission timer and the loss probe do when they expire while the connection's latest
 * segment has not left the host yet: it still waits in the {@link TransmitQueue} below TCP (a TUN
 * writer thread's ring, behind other packets or behind a writer that waits for a core).
 *
 * <p>Both timers measure from transmission — RFC 6298 §5.1 starts the retransmission timer when a
 * segment is sent, RFC 8985 §7.2 arms the probe timeout after the last transmission — so a segment
 * that has not been transmitted cannot have timed out, and a retransmission or probe now would only
 * duplicate it (Linux skips retransmitting a segment that is still in a host queue,
 * {@code skb_still_in_host_queue}). The timer then looks again every {@link #RECHECK_NANOS}; once the
 * segment has left, the owner starts its whole timeout again from then. So a timeout or probe never
 * comes before its interval has passed since the segment really left, and at most one
 * {@link #RECHECK_NANOS} after. The owner calls {@link #reset} whenever it (re)starts or cancels the
 * timer normally. One per timer; event loop only; allocates nothing.
 */
final class HostQueueWait {
    /** How often a held timer looks again: RFC 6298's clock granularity G (1 ms). */
    static final long RECHECK_NANOS = RetransmitTimer.GRANULARITY_NANOS;

    /** The outcome of an expiry. */
    enum Verdict {
        /** Nothing of the connection's waits: the timer acts. */
        FIRE,
        /** The segment still waits: the timer was rescheduled to look again; do nothing now. */
        WAITING,
        /** The segment left since the last look: start the whole timeout again from now; do not act. */
        LEFT
    }

    private boolean waiting;

    /** At {@code timer}'s expiry for connection {@code c}: what to do (see {@link Verdict}). */
    Verdict atExpiry(Connection c, Timer timer) {
        if (c.layer.stillInHostQueue(c)) {
            if (!waiting) {
                waiting = true;
                c.layer.count(TcpStat.TIMERS_HELD_BY_HOST_QUEUE);
            }
            c.layer.timers().scheduleIn(timer, RECHECK_NANOS);
            return Verdict.WAITING;
        }
        if (waiting) {
            waiting = false;
            return Verdict.LEFT;
        }
        return Verdict.FIRE;
    }

    /** The timer was started, restarted or cancelled normally: no wait is pending. */
    void reset() {
        waiting = false;
    }
}
