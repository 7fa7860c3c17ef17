package dev.tuntcp.tcp;

import dev.tuntcp.stack.Clock;
import java.util.SplittableRandom;

/**
 * RFC 5961 §7 ACK throttling: one budget of challenge ACKs per second for the whole layer, so that a
 * flood of spoofed RSTs, SYNs or wild ACKs cannot make the stack flood the genuine peers in turn.
 *
 * <p>The budget is not a fixed number: each second it is drawn uniformly from
 * {@code [limit/2, limit/2 + limit)}, as Linux does since CVE-2016-5696. With a fixed global budget
 * an off-path attacker could exhaust it and count how many challenge ACKs a victim connection still
 * drew, learning whether its guessed 4-tuple and sequence numbers were in the window; a random budget
 * hides that count. A limit of 0 disables throttling.
 *
 * <p>Owned by the event-loop thread; allocation free.
 */
final class ChallengeAckLimiter {
    private static final long SECOND = 1_000_000_000L;

    private final Clock clock;
    private final SplittableRandom random;
    private long windowStart;
    private int remaining;
    private boolean started;

    ChallengeAckLimiter(Clock clock, long seed) {
        this.clock = clock;
        this.random = new SplittableRandom(seed);
    }

    /** Whether one more challenge ACK may go out now under {@code limitPerSecond} (0: no limit). */
    boolean tryAcquire(int limitPerSecond) {
        if (limitPerSecond <= 0) {
            return true;
        }
        long now = clock.nanos();
        if (!started || now - windowStart >= SECOND || now - windowStart < 0) {
            started = true;
            windowStart = now;
            int half = limitPerSecond / 2;
            remaining = Math.max(1, half + random.nextInt(limitPerSecond));
        }
        if (remaining <= 0) {
            return false;
        }
        remaining--;
        return true;
    }
}
