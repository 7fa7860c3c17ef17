package dev.tuntcp.tcp;

import dev.tuntcp.socket.ConnectionHandler.CloseReason;
import dev.tuntcp.stack.Timer;
import dev.tuntcp.wire.SeqNum;

/**
 * The persist timer of one connection (RFC 9293 §3.8.6.1, RFC 1122 §4.2.2.17), kept apart from the
 * retransmission timer. It runs in two situations, both with nothing else to wake the sender:
 * <ul>
 *   <li>The peer's window is zero and data waits (unsent, or sent beyond a window the peer shrank):
 *       each expiry sends a zero-window probe — the octet at SND.UNA — and the interval doubles from
 *       the RTO up to the maximum RTO. The retransmission timer is off meanwhile, so a peer that
 *       keeps answering probes (with a zero window) keeps the connection open however long its
 *       window stays shut ("the sending TCP MUST allow the connection to stay open"). Only probes
 *       that go unanswered count towards giving up: after {@link TcpConfig#dataRetries()} of them in
 *       a row the peer is taken to be gone.</li>
 *   <li>The window is open but too small for {@link SendPolicy} to send into, and nothing is in
 *       flight: the expiry is the "override timeout" of RFC 9293 §3.8.6.2.1 rule 4 and sends what
 *       fits.</li>
 * </ul>
 */
final class PersistTimer extends Timer {
    private final Connection connection;
    /** Expiries since the timer was last started afresh; the interval is RTO × 2^backoff. */
    private int backoff;
    /** Probes sent since the peer was last heard from. */
    private int unanswered;

    PersistTimer(Connection connection) {
        this.connection = connection;
    }

    int backoff() {
        return backoff;
    }

    int unanswered() {
        return unanswered;
    }

    /** Whether the connection is in one of the two situations above (called after every output). */
    static boolean needed(Connection c) {
        switch (c.state) {
            case ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, CLOSING, LAST_ACK -> {
            }
            default -> {
                return false;
            }
        }
        int dataEnd = c.sendBuffer.endSeq();
        if (c.sndWnd == 0) {
            return SeqNum.lt(c.sndUna, dataEnd);
        }
        return c.sndMax == c.sndUna && SeqNum.lt(c.sndNxt, dataEnd);
    }

    /** Starts the timer unless it is running. */
    void ensureRunning() {
        if (!isScheduled()) {
            connection.layer.timers().scheduleIn(this, interval());
        }
    }

    /** Stops the timer and forgets the backoff: the window opened, or there is nothing left to send. */
    void stop() {
        if (isScheduled()) {
            connection.layer.timers().cancel(this);
        }
        backoff = 0;
        unanswered = 0;
    }

    /** The peer has been heard from (an acceptable ACK): it is alive, whatever its window says. */
    void peerAnswered() {
        unanswered = 0;
    }

    private long interval() {
        long rto = connection.retransmitTimer.baseRtoNanos(); // RFC 9293 §3.8.6.1: the RTO, then its own backoff
        long max = connection.layer.config().maxRtoNanos();
        long interval = rto;
        for (int i = 0; i < backoff && interval < max; i++) {
            interval <<= 1;
        }
        return Math.min(interval, Math.max(max, rto));
    }

    @Override
    protected void onExpire() {
        Connection c = connection;
        c.layer.traceTimer(c, TcpTimerKind.PERSIST);
        if (!needed(c)) {
            stop();
            return;
        }
        if (c.sndWnd == 0) {
            if (unanswered >= c.dataRetries) {
                c.layer.count(TcpStat.PERSIST_TIMEOUTS);
                c.layer.count(TcpStat.TIMED_OUT);
                c.terminate(CloseReason.TIMED_OUT);
                c.events.deliver(c);
                return;
            }
            unanswered++;
            c.layer.count(TcpStat.ZERO_WINDOW_PROBES);
            SegmentSender.sendWindowProbe(c);
            backoff++;
            c.layer.timers().scheduleIn(this, interval());
        } else {
            // RFC 9293 §3.8.6.2.1 rule 4: the override timeout sends what the small window allows.
            c.layer.count(TcpStat.SWS_OVERRIDES);
            backoff++;
            SegmentSender.output(c, true);
        }
        c.events.deliver(c);
    }
}
