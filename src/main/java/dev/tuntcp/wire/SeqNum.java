package dev.tuntcp.wire;

/**
 * TCP sequence-number arithmetic modulo 2^32 (RFC 9293 §3.4). Sequence numbers are held in Java
 * {@code int}s; comparisons use the sign of the 32-bit difference, which is exact as long as the two
 * numbers are less than 2^31 apart, the RFC's standing assumption. {@code gt}/{@code ge} are defined
 * as the mirror of {@code lt}/{@code le} (as Linux defines {@code after} by {@code before}), so
 * {@code lt(a, b) == gt(b, a)} holds for every pair, even the ambiguous one exactly 2^31 apart.
 */
public final class SeqNum {
    private SeqNum() {
    }

    /** a < b in sequence space. */
    public static boolean lt(int a, int b) {
        return a - b < 0;
    }

    /** a <= b in sequence space. */
    public static boolean le(int a, int b) {
        return a - b <= 0;
    }

    /** a > b in sequence space. */
    public static boolean gt(int a, int b) {
        return lt(b, a);
    }

    /** a >= b in sequence space. */
    public static boolean ge(int a, int b) {
        return le(b, a);
    }

    /** The distance from {@code from} forward to {@code to}, as an unsigned 32-bit count in a long. */
    public static long distance(int from, int to) {
        return Integer.toUnsignedLong(to - from);
    }

    /** start <= x < start + length (length may be up to 2^31 - 1). */
    public static boolean inWindow(int x, int start, int length) {
        return Integer.toUnsignedLong(x - start) < Integer.toUnsignedLong(length);
    }

    /** The later of two sequence numbers. */
    public static int max(int a, int b) {
        return gt(a, b) ? a : b;
    }

    /** The earlier of two sequence numbers. */
    public static int min(int a, int b) {
        return lt(a, b) ? a : b;
    }

    /** The sequence number as the unsigned decimal users see in traces. */
    public static String toString(int seq) {
        return Integer.toUnsignedString(seq);
    }
}
