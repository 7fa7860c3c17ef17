package dev.tuntcp.tcp;

import dev.tuntcp.wire.SeqNum;

/**
 * The segments between SND.UNA and SND.MAX as they were sent, in sequence order, each with the time
 * of its latest transmission and its state: SACKed, marked lost, retransmitted and still in flight.
 * This is the per-segment record that time-based loss detection needs (RFC 8985 §5.2 "Per-segment
 * variables": Segment.xmit_ts, Segment.lost, Segment.retransmitted), and from which the octets in
 * flight are counted the way RFC 6675's pipe defines them (un-SACKed octets not lost, plus octets
 * retransmitted and not lost again).
 *
 * <p>Memory: a ring of parallel arrays. It grows (doubling) while a connection's window grows — the
 * only allocation, so steady state allocates nothing — up to {@link #MAX_SEGMENTS}; beyond that a new
 * segment is folded into the newest entry (its time is then the later one, which only delays loss
 * detection for those octets; the retransmission timer still covers them).
 *
 * <p>The octet counts are kept as running sums so that {@link #pipe()} costs nothing per segment.
 */
final class SentSegments {
    static final int MAX_SEGMENTS = 1 << 14;
    private static final int INITIAL = 64;

    static final byte SACKED = 1;
    static final byte LOST = 2;
    /** Retransmitted and not since marked lost again: counted in flight. */
    static final byte RETRANS = 4;
    /** Retransmitted at least once: an ACK of it is ambiguous (RFC 8985 §6.2 step 2). */
    static final byte EVER_RETRANS = 8;

    /** Told about every segment that reached the receiver (cumulatively acknowledged or SACKed). */
    interface Delivery {
        void delivered(long sentNanos, int endSeq, boolean everRetransmitted);
    }

    private int[] start = new int[0];
    private int[] end = new int[0];
    private long[] sent = new long[0];
    private byte[] flags = new byte[0];
    private int head;
    private int size;

    private long outstandingBytes;
    private long sackedBytes;
    private long lostBytes;
    private long retransBytes;

    int size() {
        return size;
    }

    /**
     * Sizes the record for a flight of {@code segments} (a power of two at least that): called once the
     * connection is established and the send buffer and MSS are known, so that a half-open
     * connection costs nothing and the window's growth does not allocate on the way.
     */
    void reserve(int segments) {
        int n = Integer.highestOneBit(Math.max(INITIAL, Math.min(MAX_SEGMENTS, segments)) - 1) << 1;
        if (n > start.length) {
            resize(n);
        }
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The i-th outstanding segment in sequence order (0 is the oldest), as a ring index. */
    private int slot(int i) {
        return (head + i) & (start.length - 1);
    }

    int startAt(int i) {
        return start[slot(i)];
    }

    int endAt(int i) {
        return end[slot(i)];
    }

    long sentAt(int i) {
        return sent[slot(i)];
    }

    boolean has(int i, byte flag) {
        return (flags[slot(i)] & flag) != 0;
    }

    /** The end of the newest segment (SND.MAX as far as this record knows); only when not empty. */
    int tailEnd() {
        return end[slot(size - 1)];
    }

    void clear() {
        head = 0;
        size = 0;
        outstandingBytes = sackedBytes = lostBytes = retransBytes = 0;
    }

    /**
     * A segment [{@code seq}, {@code segEnd}) went out at {@code now}. Octets beyond the newest record
     * are a new segment; octets below it are a retransmission of the segments they overlap, which
     * take the new time and count as retransmitted (in flight again, RFC 6675 pipe).
     */
    void sent(int seq, int segEnd, long now) {
        if (!SeqNum.lt(seq, segEnd)) {
            return;
        }
        if (size > 0 && SeqNum.lt(seq, tailEnd())) {
            for (int i = indexOf(seq); i < size; i++) {
                int s = slot(i);
                if (!SeqNum.lt(start[s], segEnd)) {
                    break;
                }
                if ((flags[s] & SACKED) != 0) {
                    continue;
                }
                if ((flags[s] & RETRANS) == 0) {
                    retransBytes += length(s);
                }
                flags[s] |= RETRANS | EVER_RETRANS;
                sent[s] = now;
            }
            if (!SeqNum.gt(segEnd, tailEnd())) {
                return;
            }
            seq = tailEnd();
        }
        append(seq, segEnd, now);
    }

    private void append(int seq, int segEnd, long now) {
        if (size == start.length && !grow()) {
            int s = slot(size - 1); // full: the newest entry takes these octets too (see class comment)
            outstandingBytes += SeqNum.distance(end[s], segEnd);
            end[s] = segEnd;
            sent[s] = now;
            return;
        }
        int s = slot(size);
        start[s] = seq;
        end[s] = segEnd;
        sent[s] = now;
        flags[s] = 0;
        size++;
        outstandingBytes += SeqNum.distance(seq, segEnd);
    }

    private boolean grow() {
        if (start.length >= MAX_SEGMENTS) {
            return false;
        }
        resize(Math.max(INITIAL, start.length * 2));
        return true;
    }

    private void resize(int n) {
        int[] ns = new int[n];
        int[] ne = new int[n];
        long[] nt = new long[n];
        byte[] nf = new byte[n];
        for (int i = 0; i < size; i++) {
            int s = slot(i);
            ns[i] = start[s];
            ne[i] = end[s];
            nt[i] = sent[s];
            nf[i] = flags[s];
        }
        start = ns;
        end = ne;
        sent = nt;
        flags = nf;
        head = 0;
    }

    /**
     * The cumulative ACK reached {@code una}: whole segments below it leave the record (those not
     * SACKed before are reported delivered); a segment it cuts keeps its upper part.
     */
    void acknowledge(int una, Delivery delivery) {
        while (size > 0) {
            int s = slot(0);
            if (SeqNum.le(end[s], una)) {
                if ((flags[s] & SACKED) == 0) {
                    delivery.delivered(sent[s], end[s], (flags[s] & EVER_RETRANS) != 0);
                }
                removeCounts(s, length(s));
                head = (head + 1) & (start.length - 1);
                size--;
            } else {
                if (SeqNum.lt(start[s], una)) {
                    removeCounts(s, SeqNum.distance(start[s], una));
                    start[s] = una;
                }
                break;
            }
        }
        if (size == 0) {
            head = 0;
        }
    }

    private void removeCounts(int s, long octets) {
        outstandingBytes -= octets;
        byte f = flags[s];
        if ((f & SACKED) != 0) {
            sackedBytes -= octets;
        }
        if ((f & LOST) != 0) {
            lostBytes -= octets;
        }
        if ((f & RETRANS) != 0) {
            retransBytes -= octets;
        }
    }

    /**
     * The receiver holds [{@code left}, {@code right}): each segment wholly inside it becomes SACKed
     * (no longer lost nor in flight) and, the first time, is reported delivered. Returns the octets
     * newly SACKed.
     */
    long sack(int left, int right, Delivery delivery) {
        long newly = 0;
        for (int i = indexOf(left); i < size; i++) {
            int s = slot(i);
            if (!SeqNum.lt(start[s], right)) {
                break;
            }
            if ((flags[s] & SACKED) != 0 || SeqNum.lt(start[s], left) || SeqNum.gt(end[s], right)) {
                continue;
            }
            long n = length(s);
            if ((flags[s] & LOST) != 0) {
                lostBytes -= n;
            }
            if ((flags[s] & RETRANS) != 0) {
                retransBytes -= n;
            }
            flags[s] = (byte) ((flags[s] & EVER_RETRANS) | SACKED);
            sackedBytes += n;
            newly += n;
            delivery.delivered(sent[s], end[s], (flags[s] & EVER_RETRANS) != 0);
        }
        return newly;
    }

    /**
     * Marks the i-th segment lost (RFC 8985 §6.2 step 5): out of flight, and — if it had been
     * retransmitted — that retransmission is counted lost as well, so it will be sent again.
     */
    void markLost(int i) {
        int s = slot(i);
        byte f = flags[s];
        if ((f & SACKED) != 0) {
            return;
        }
        long n = length(s);
        if ((f & LOST) == 0) {
            lostBytes += n;
        }
        if ((f & RETRANS) != 0) {
            retransBytes -= n;
        }
        flags[s] = (byte) ((f | LOST) & ~RETRANS);
    }

    /**
     * RFC 8985 §6.3 / RFC 6675 §5.1: after a retransmission timeout every un-SACKed segment is lost.
     * With {@code forgetSacks} (repeated timeouts: the receiver may have reneged, RFC 2018 §8) the
     * SACKed ones are lost too.
     */
    void markAllLost(boolean forgetSacks) {
        for (int i = 0; i < size; i++) {
            int s = slot(i);
            if (forgetSacks && (flags[s] & SACKED) != 0) {
                flags[s] &= ~SACKED;
                sackedBytes -= length(s);
            }
            markLost(i);
        }
    }

    /**
     * The timeout was spurious (RFC 4015): segments marked lost and not resent are in flight after
     * all; what was resent stays counted as a retransmission in flight.
     */
    void clearLost() {
        for (int i = 0; i < size; i++) {
            int s = slot(i);
            if ((flags[s] & LOST) != 0) {
                lostBytes -= length(s);
                flags[s] &= ~LOST;
            }
        }
    }

    /** The oldest segment marked lost and not retransmitted since, or -1: what to resend next. */
    int firstToRetransmit() {
        if (lostBytes == 0) {
            return -1;
        }
        for (int i = 0; i < size; i++) {
            byte f = flags[slot(i)];
            if ((f & (LOST | RETRANS | SACKED)) == LOST) {
                return i;
            }
        }
        return -1;
    }

    /** The newest segment, or -1: what a tail loss probe resends when no new data can go. */
    int last() {
        return size - 1;
    }

    /** Octets in flight (RFC 6675 §4 SetPipe, with losses as marked here). */
    long pipe() {
        return outstandingBytes - sackedBytes - lostBytes + retransBytes;
    }

    long sackedBytes() {
        return sackedBytes;
    }

    long lostBytes() {
        return lostBytes;
    }

    long retransBytes() {
        return retransBytes;
    }

    long outstandingBytes() {
        return outstandingBytes;
    }

    private long length(int s) {
        return SeqNum.distance(start[s], end[s]);
    }

    /** The index of the first segment that ends after {@code seq} (binary search; segments are in order). */
    private int indexOf(int seq) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (SeqNum.le(end[slot(mid)], seq)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
