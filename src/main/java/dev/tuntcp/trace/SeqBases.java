package dev.tuntcp.trace;

import java.util.HashMap;
import java.util.Map;

/**
 * Relative sequence numbers the way tcpdump prints them: each direction of a connection counts from
 * its own initial sequence number, so the SYN is 0, the first data byte 1, and an ACK of a direction
 * is relative to the other direction's base. The base of a direction is the sequence number of its
 * latest SYN — a SYN with a new ISN (a new incarnation, or the real SYN/ACK after a stale one)
 * starts a new numbering, a retransmitted SYN does not — or, for a trace that starts
 * mid-connection, of the first segment seen in it.
 *
 * <p>All arithmetic is modulo 2^32 (RFC 9293 §3.4): {@code relative(base + n, base) == n} for every
 * base, also when {@code base + n} wraps past 2^32. Not thread-safe; one per renderer.
 */
public final class SeqBases {
    private final Map<ConnectionId, Bases> bases = new HashMap<>();

    /** The distance from {@code base} forward to {@code absolute}, in 0..2^32-1. */
    public static long relative(int absolute, int base) {
        return Integer.toUnsignedLong(absolute - base);
    }

    /** The absolute sequence number {@code relative} bytes after {@code base} (modulo 2^32). */
    public static int absolute(long relative, int base) {
        return (int) (base + relative);
    }

    /** Records the bases {@code segment} establishes; call for every segment in trace order. */
    public void learn(SegmentEvent segment) {
        Bases b = bases.computeIfAbsent(segment.connection(), k -> new Bases());
        int dir = segment.direction().ordinal();
        // The first segment of a direction fixes its base: normally the SYN, whose ISN is relative 0.
        // An RST does not: it copies its seq from the segment it answers (RFC 9293 §3.10.7.1), so
        // numbering from it would show "seq 0" for a number that came from the other side; it stays
        // absolute until a real segment of its direction sets the base.
        if (segment.isRst() && !b.known[dir]) {
            return;
        }
        if (!b.known[dir] || segment.isSyn() && !segment.isRst()) {
            b.base[dir] = segment.seq();
            b.known[dir] = true;
        }
    }

    /** Relative SEG.SEQ of {@code segment} (learn it first), or -1 when its direction has no base. */
    public long relativeSeq(SegmentEvent segment) {
        Bases b = bases.get(segment.connection());
        int dir = segment.direction().ordinal();
        return b == null || !b.known[dir] ? -1 : relative(segment.seq(), b.base[dir]);
    }

    /** Relative SEG.ACK (against the other direction's base), or -1 when that base is unknown. */
    public long relativeAck(SegmentEvent segment) {
        Bases b = bases.get(segment.connection());
        int other = segment.direction().opposite().ordinal();
        return b == null || !b.known[other] ? -1 : relative(segment.ack(), b.base[other]);
    }

    /** The base (usually the ISN) of {@code direction} on {@code connection}, if known. */
    public java.util.OptionalInt base(ConnectionId connection, Direction direction) {
        Bases b = bases.get(connection);
        return b == null || !b.known[direction.ordinal()] ? java.util.OptionalInt.empty()
                : java.util.OptionalInt.of(b.base[direction.ordinal()]);
    }

    private static final class Bases {
        final int[] base = new int[2];
        final boolean[] known = new boolean[2];
    }
}
