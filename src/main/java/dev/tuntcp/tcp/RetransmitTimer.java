package dev.tuntcp.tcp;

import dev.tuntcp.stack.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The retransmission timer of one connection (RFC 9293 §3.8.1) with the RTO of RFC 6298, computed by
 * an {@link RttEstimator}: samples come from {@link LossRecovery}'s segment timing or from timestamps
 * ({@link Connection#rttSample}); every expiry doubles the RTO (§5.5) up to the maximum, and the
 * doubled value stays until a valid sample (Karn's algorithm, §3). {@link #retries()} counts expiries
 * without progress, for the retry limit that times the connection out.
 */
final class RetransmitTimer extends Timer {
    /** G, the clock granularity of RFC 6298 §2: the loop's clock is finer, so this is a floor only. */
    static final long GRANULARITY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** RFC 6298 §5.7: the RTO after a SYN timed out, once data transmission begins. */
    static final long SYN_TIMEOUT_RTO_NANOS = TimeUnit.SECONDS.toNanos(3);

    private final Connection connection;
    private final RttEstimator rtt;
    /** Set while an expiry waits for the latest segment to leave the host's transmit queue. */
    private final HostQueueWait departure = new HostQueueWait();
    private int retries;

    RetransmitTimer(Connection connection) {
        this.connection = connection;
        TcpConfig config = connection.layer.config();
        this.rtt = new RttEstimator(config.initialRtoNanos(), config.minRtoNanos(), config.maxRtoNanos(),
                GRANULARITY_NANOS);
    }

    long rtoNanos() {
        return rtt.rtoNanos();
    }

    /** The RTO from the RTT estimate, without this timer's backoff (the persist timer backs off on its own). */
    long baseRtoNanos() {
        return rtt.baseRtoNanos();
    }

    long srttNanos() {
        return rtt.srttNanos();
    }

    RttEstimator estimator() {
        return rtt;
    }

    int retries() {
        return retries;
    }

    /** A valid RTT measurement (RFC 6298 §2.2-§2.3): recomputes the RTO, ending any backoff. */
    void rttSample(long nanos) {
        rtt.sample(nanos);
    }

    /** RFC 6298 §5.7: our SYN timed out and no sample replaced the estimate: 3 s from here on. */
    void synTimedOut() {
        if (!rtt.hasSample()) {
            rtt.reinitialize(SYN_TIMEOUT_RTO_NANOS);
        }
    }

    /** RFC 6298 §5.1: start the timer when data is sent, unless it is already running. */
    void ensureRunning() {
        if (!isScheduled()) {
            connection.layer.timers().scheduleIn(this, rtt.rtoNanos());
        }
    }

    /** RFC 6298 §5.3 / §5.6: restart with the current RTO. */
    void restart() {
        departure.reset();
        connection.layer.timers().scheduleIn(this, rtt.rtoNanos());
    }

    /** RFC 6298 §5.2: everything outstanding has been acknowledged. */
    void cancel() {
        departure.reset();
        connection.layer.timers().cancel(this);
    }

    /**
     * New data was acknowledged: the retry count starts again. The RTO keeps any backoff until a valid
     * sample arrives (RFC 6298 §5.7's note on Karn's algorithm).
     */
    void onProgress() {
        retries = 0;
    }

    /**
     * An ACK covered octets that were sent only once: the peer is receiving what we send now, so the
     * backoff ends although no sample was taken. Karn's algorithm (RFC 6298 §3) forbids the sample
     * from retransmitted segments, not this; without it, a lossy path where every timed segment ends
     * up retransmitted keeps a backed-off RTO for the rest of the connection. (Linux gets the same
     * effect from per-segment send times; timestamps make it moot.)
     */
    void onUnambiguousAck() {
        rtt.endBackoff();
    }

    /** The peer answered (a zero-window probe): the connection is alive, whatever the backoff. */
    void peerAlive() {
        retries = 0;
    }

    /**
     * RFC 6298 §5.5: doubles the RTO for the next try. Returns false when {@code limit}
     * retransmissions have already been made: the connection has timed out.
     */
    boolean backOff(int limit) {
        if (retries >= limit) {
            return false;
        }
        retries++;
        rtt.backOff();
        return true;
    }

    /**
     * RFC 6298 §5.4-§5.6 through the connection — unless the latest segment has not left the host
     * yet ({@link HostQueueWait}): §5.1 runs the timer from when a segment is sent, so then the
     * timer waits, and once the segment has left it starts again from then (no backoff, no retry
     * counted); the loss probe the sooner timeout had cancelled is scheduled again with it.
     */
    @Override
    protected void onExpire() {
        switch (departure.atExpiry(connection, this)) {
            case WAITING -> {
            }
            case LEFT -> {
                restart();
                connection.recovery.retransmitTimerHeld();
            }
            default -> connection.onRetransmitTimeout();
        }
    }
}
