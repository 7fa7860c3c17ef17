package dev.tuntcp.tcp;

import dev.tuntcp.socket.ConnectionHandler.CloseReason;
import dev.tuntcp.socket.KeepAlive;
import dev.tuntcp.stack.Timer;

/**
 * TCP keep-alive for one connection (RFC 1122 §4.2.3.6, RFC 9293 §3.8.4), off unless the application
 * turns it on ({@link KeepAlive}). When nothing has been heard from the peer for the idle time, and
 * nothing of ours is waiting for an acknowledgment (the retransmission and persist timers watch the
 * peer then), a probe {@code <SEQ=SND.NXT-1><ACK=RCV.NXT><CTL=ACK>} without data is sent: its sequence
 * number lies just below the peer's window, so a live peer answers with an ACK. Probes repeat every
 * interval while unanswered; once the configured number have gone unanswered the connection is
 * aborted with a reset, as Linux does.
 *
 * <p>Receiving is cheap: {@link #heard()} only notes the time; the timer checks how long the
 * connection has really been idle when it expires, and sleeps again for the rest.
 */
final class KeepaliveTimer extends Timer {
    private final Connection connection;
    private KeepAlive settings = KeepAlive.OFF;
    private long lastHeardNanos;
    private int unanswered;

    KeepaliveTimer(Connection connection) {
        this.connection = connection;
    }

    KeepAlive settings() {
        return settings;
    }

    int unanswered() {
        return unanswered;
    }

    /** Turns keep-alive on with {@code value}, or off with {@link KeepAlive#OFF}; the idle time starts now. */
    void configure(KeepAlive value) {
        settings = value;
        unanswered = 0;
        lastHeardNanos = now();
        if (value.enabled() && connection.state != TcpState.CLOSED) {
            connection.layer.timers().scheduleIn(this, value.idleNanos());
        } else {
            cancel();
        }
    }

    /** A segment of this connection arrived (any segment: RFC 1122 counts "data or acknowledgement"). */
    void heard() {
        if (settings.enabled()) {
            lastHeardNanos = now();
            unanswered = 0;
        }
    }

    void cancel() {
        if (isScheduled()) {
            connection.layer.timers().cancel(this);
        }
    }

    private long now() {
        return connection.layer.timers().clock().nanos();
    }

    @Override
    protected void onExpire() {
        Connection c = connection;
        if (!settings.enabled()) {
            return;
        }
        if (c.state != TcpState.ESTABLISHED && c.state != TcpState.CLOSE_WAIT) {
            // Before ESTABLISHED the handshake timers rule; once closing, the FIN's retransmission,
            // TIME-WAIT or the FIN-WAIT-2 timeout end the connection.
            if (c.state == TcpState.SYN_SENT || c.state == TcpState.SYN_RECEIVED) {
                c.layer.timers().scheduleIn(this, settings.idleNanos());
            }
            return;
        }
        boolean waitingForAck = c.sndMax != c.sndUna || c.sendBuffer.size() > 0;
        if (waitingForAck) {
            // RFC 1122 §4.2.3.6: probes only when there is nothing else to hear back about.
            c.layer.timers().scheduleIn(this, settings.idleNanos());
            return;
        }
        long idle = now() - lastHeardNanos;
        if (unanswered == 0 && idle < settings.idleNanos()) {
            c.layer.timers().scheduleIn(this, settings.idleNanos() - idle);
            return;
        }
        c.layer.traceTimer(c, TcpTimerKind.KEEPALIVE);
        if (unanswered >= settings.probes()) {
            c.layer.count(TcpStat.KEEPALIVE_TIMEOUTS);
            c.layer.count(TcpStat.TIMED_OUT);
            SegmentSender.sendReset(c);
            c.terminate(CloseReason.TIMED_OUT);
            c.events.deliver(c);
            return;
        }
        unanswered++;
        c.layer.count(TcpStat.KEEPALIVE_PROBES);
        SegmentSender.sendKeepalive(c);
        c.layer.timers().scheduleIn(this, settings.intervalNanos());
    }
}
