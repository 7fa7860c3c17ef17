package dev.tuntcp.app;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The Date field value (RFC 9110 §6.6.1: an origin server with a clock MUST send one in 2xx, 3xx
 * and 4xx responses) in IMF-fixdate form (§5.6.7), formatted at most once per second. The wall
 * clock is injected so tests assert exact bytes. Safe to share between threads.
 */
final class HttpDate {
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private record Stamp(long second, String text) {
    }

    private final Clock wallClock;
    private volatile Stamp stamp = new Stamp(Long.MIN_VALUE, "");

    HttpDate(Clock wallClock) {
        this.wallClock = wallClock;
    }

    String now() {
        long second = Math.floorDiv(wallClock.millis(), 1000);
        Stamp s = stamp;
        if (s.second != second) {
            s = new Stamp(second, IMF_FIXDATE.format(Instant.ofEpochSecond(second)));
            stamp = s;
        }
        return s.text;
    }
}
