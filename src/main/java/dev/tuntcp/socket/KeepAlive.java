package dev.tuntcp.socket;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * TCP keep-alive settings for one connection (SO_KEEPALIVE with Linux's TCP_KEEPIDLE, TCP_KEEPINTVL
 * and TCP_KEEPCNT). RFC 1122 §4.2.3.6: keep-alives are off unless the application asks for them, the
 * idle interval "MUST be configurable and MUST default to no less than two hours", and a connection
 * is dropped only after several probes go unanswered, since "an individual keep-alive ... could be
 * lost". Immutable.
 *
 * @param idleNanos how long nothing may be heard from the peer before the first probe
 * @param intervalNanos the wait between unanswered probes
 * @param probes unanswered probes after which the connection is aborted (a reset is sent)
 */
public record KeepAlive(long idleNanos, long intervalNanos, int probes) {
    /** Keep-alive off: the default of every connection (RFC 1122 §4.2.3.6). */
    public static final KeepAlive OFF = new KeepAlive(0, 0, 0);

    /** On with the usual defaults: 2 hours idle, probes every 75 s, 9 of them (as Linux). */
    public static final KeepAlive DEFAULTS = new KeepAlive(TimeUnit.HOURS.toNanos(2), TimeUnit.SECONDS.toNanos(75), 9);

    public KeepAlive {
        boolean off = idleNanos == 0 && intervalNanos == 0 && probes == 0;
        if (!off && (idleNanos <= 0 || intervalNanos <= 0 || probes <= 0)) {
            throw new IllegalArgumentException("keep-alive needs a positive idle time, interval and probe count"
                    + " (or KeepAlive.OFF): idle " + idleNanos + " ns, interval " + intervalNanos + " ns, probes " + probes);
        }
    }

    /** Keep-alive on with these values. */
    public static KeepAlive of(Duration idle, Duration interval, int probes) {
        return new KeepAlive(idle.toNanos(), interval.toNanos(), probes);
    }

    public boolean enabled() {
        return probes > 0;
    }
}
