package dev.tuntcp.tcp;

import dev.tuntcp.stack.Timer;

/**
 * The retransmission timer of one connection (RFC 9293 §3.8.1) with a simple RTO: the configured
 * initial value, doubled on every expiry up to a maximum (RFC 6298 §5.5), back to the initial value
 * when new data is acknowledged. RTT measurement (RFC 6298 §2-§3) replaces the fixed initial value
 * later; it plugs in at {@link #onProgress()}.
 */
final class RetransmitTimer extends Timer {
    private final Connection connection;
    private long rtoNanos;
    private int retries;

    RetransmitTimer(Connection connection) {
        this.connection = connection;
        this.rtoNanos = connection.layer.config().initialRtoNanos();
    }

    long rtoNanos() {
        return rtoNanos;
    }

    int retries() {
        return retries;
    }

    /** RFC 6298 §5.1: start the timer when data is sent, unless it is already running. */
    void ensureRunning() {
        if (!isScheduled()) {
            connection.layer.timers().scheduleIn(this, rtoNanos);
        }
    }

    /** RFC 6298 §5.3 / §5.6: restart with the current RTO. */
    void restart() {
        connection.layer.timers().scheduleIn(this, rtoNanos);
    }

    /** RFC 6298 §5.2: everything outstanding has been acknowledged. */
    void cancel() {
        connection.layer.timers().cancel(this);
    }

    /** New data was acknowledged (or the peer answered a probe): forget the backoff. */
    void onProgress() {
        retries = 0;
        rtoNanos = connection.layer.config().initialRtoNanos();
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
        rtoNanos = Math.min(rtoNanos * 2, connection.layer.config().maxRtoNanos());
        return true;
    }

    @Override
    protected void onExpire() {
        connection.onRetransmitTimeout();
    }
}
