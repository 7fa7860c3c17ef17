package dev.tuntcp.tcp;

import dev.tuntcp.wire.SeqNum;

/**
 * The sender's record of what the receiver holds above the cumulative ACK (RFC 6675 §3, "the
 * scoreboard"): SACKed ranges, kept sorted, merged and disjoint, with the queries of RFC 6675 §4 —
 * {@link #isLost IsLost}, {@link #pipe Pipe} ("SetPipe") and {@link #nextSegment NextSeg} rules (1) and
 * (3) (rule (2), new data, is the sender's). Octet-granular like the RFC's definitions, with the
 * arithmetic done per range rather than per octet. HighRxt is kept here as an exclusive end: every
 * octet below it has been retransmitted in this recovery.
 *
 * <p>Memory is fixed at construction ({@code capacity} ranges): a peer that SACKs ever more disjoint
 * ranges costs nothing more; once full, a new range that would need a slot is forgotten (the
 * scoreboard is advice — forgetting a SACK only means an octet may be sent twice).
 *
 * <p>All sequence numbers are compared with {@link SeqNum}, so ranges may straddle 2^32; callers keep
 * every range inside (HighACK, HighData], which is always less than 2^31 wide.
 */
final class SackScoreboard {
    /** RFC 6675 §2: DupThresh = 3. */
    static final int DUP_THRESH = 3;

    private final int[] lefts;
    private final int[] rights;
    private int count;
    private int highRxt;

    SackScoreboard(int capacity) {
        lefts = new int[capacity];
        rights = new int[capacity];
    }

    void clear() {
        count = 0;
    }

    boolean isEmpty() {
        return count == 0;
    }

    int rangeCount() {
        return count;
    }

    int left(int i) {
        return lefts[i];
    }

    int right(int i) {
        return rights[i];
    }

    /** HighRxt as an exclusive end (RFC 6675 §2: the highest octet retransmitted, plus one). */
    int highRxt() {
        return highRxt;
    }

    void setHighRxt(int seq) {
        highRxt = seq;
    }

    /**
     * Records that the receiver holds [{@code left}, {@code right}); returns how many of those octets
     * were not SACKed before (0: nothing new). The caller has checked HighACK &lt; left &lt; right =&lt; HighData.
     */
    int add(int left, int right) {
        if (!SeqNum.lt(left, right)) {
            return 0;
        }
        int before = sackedBytes();
        // The first range that ends at or after left (it may touch or overlap the new one).
        int i = 0;
        while (i < count && SeqNum.lt(rights[i], left)) {
            i++;
        }
        // Every range from i that starts at or before right merges with [left, right).
        int j = i;
        int newLeft = left;
        int newRight = right;
        while (j < count && SeqNum.le(lefts[j], right)) {
            if (SeqNum.lt(lefts[j], newLeft)) {
                newLeft = lefts[j];
            }
            if (SeqNum.gt(rights[j], newRight)) {
                newRight = rights[j];
            }
            j++;
        }
        int merged = j - i;
        if (merged == 0) {
            if (count == lefts.length) {
                return 0; // full: forget this SACK (see the class comment)
            }
            System.arraycopy(lefts, i, lefts, i + 1, count - i);
            System.arraycopy(rights, i, rights, i + 1, count - i);
            count++;
        } else if (merged > 1) {
            System.arraycopy(lefts, j, lefts, i + 1, count - j);
            System.arraycopy(rights, j, rights, i + 1, count - j);
            count -= merged - 1;
        }
        lefts[i] = newLeft;
        rights[i] = newRight;
        return sackedBytes() - before;
    }

    /** The cumulative ACK reached {@code ack}: forget every SACKed octet below it. */
    void acknowledge(int ack) {
        int drop = 0;
        while (drop < count && SeqNum.le(rights[drop], ack)) {
            drop++;
        }
        if (drop > 0) {
            System.arraycopy(lefts, drop, lefts, 0, count - drop);
            System.arraycopy(rights, drop, rights, 0, count - drop);
            count -= drop;
        }
        if (count > 0 && SeqNum.lt(lefts[0], ack)) {
            lefts[0] = ack;
        }
    }

    boolean isSacked(int seq) {
        for (int i = 0; i < count; i++) {
            if (SeqNum.le(lefts[i], seq) && SeqNum.lt(seq, rights[i])) {
                return true;
            }
        }
        return false;
    }

    /** The octets SACKed in total. */
    int sackedBytes() {
        long n = 0;
        for (int i = 0; i < count; i++) {
            n += SeqNum.distance(lefts[i], rights[i]);
        }
        return (int) n;
    }

    /** Just after the highest SACKed octet; {@code otherwise} when nothing is SACKed. */
    int highestSacked(int otherwise) {
        return count == 0 ? otherwise : rights[count - 1];
    }

    /**
     * The edge below which every un-SACKed octet is lost (RFC 6675 §4 IsLost: DupThresh discontiguous
     * SACKed ranges, or more than (DupThresh − 1)·SMSS SACKed octets, lie above it). Both counts only
     * grow as the octet moves down, so the lost octets are exactly the un-SACKed ones below this edge.
     * Returns {@code highAck} when no octet is lost.
     */
    int lostEdge(int highAck, int mss) {
        long bytes = 0;
        for (int i = count - 1, ranges = 1; i >= 0; i--, ranges++) {
            bytes += SeqNum.distance(lefts[i], rights[i]);
            if (ranges >= DUP_THRESH || bytes > (long) (DUP_THRESH - 1) * mss) {
                return lefts[i];
            }
        }
        return highAck;
    }

    /** RFC 6675 §4 IsLost(SeqNum) for an octet that is not SACKed. */
    boolean isLost(int seq, int highAck, int mss) {
        return SeqNum.lt(seq, lostEdge(highAck, mss));
    }

    /**
     * RFC 6675 §4 SetPipe: for every un-SACKed octet in [HighACK, HighData), one if it is not lost
     * (still in the network) plus one if it was retransmitted (below HighRxt).
     */
    int pipe(int highAck, int highData, int mss) {
        int edge = lostEdge(highAck, mss);
        long pipe = 0;
        int start = highAck;
        for (int i = 0; i <= count; i++) {
            int end = i < count ? lefts[i] : highData;
            if (SeqNum.lt(start, end)) {
                pipe += overlap(start, end, edge, highData) + overlap(start, end, highAck, highRxt);
            }
            if (i < count) {
                start = rights[i];
            }
        }
        return (int) Math.min(pipe, Integer.MAX_VALUE);
    }

    /** The length of [a, b) ∩ [c, d). */
    private static long overlap(int a, int b, int c, int d) {
        int lo = SeqNum.gt(a, c) ? a : c;
        int hi = SeqNum.lt(b, d) ? b : d;
        return SeqNum.lt(lo, hi) ? SeqNum.distance(lo, hi) : 0;
    }

    /**
     * NextSeg rules (1) and (3) of RFC 6675 §4: the first un-SACKed octet at or above HighRxt and
     * below the highest SACKed octet — with {@code lostOnly}, only if IsLost says it is lost (rule 1).
     * Returns its sequence number and the length to send (at most {@code mss}, not into the next
     * SACKed range) packed as {@code (length << 32) | seq}, or -1 when no octet qualifies.
     */
    long nextSegment(int highAck, int mss, boolean lostOnly) {
        if (count == 0) {
            return -1;
        }
        int seq = SeqNum.gt(highRxt, highAck) ? highRxt : highAck;
        int holeEnd = -1;
        boolean found = false;
        for (int i = 0; i < count; i++) {
            if (SeqNum.lt(seq, lefts[i])) {
                holeEnd = lefts[i];
                found = true;
                break;
            }
            if (SeqNum.lt(seq, rights[i])) {
                seq = rights[i]; // inside a SACKed range: the hole starts at its end
            }
        }
        if (!found) {
            return -1; // at or above the highest SACKed octet
        }
        if (lostOnly && !SeqNum.lt(seq, lostEdge(highAck, mss))) {
            return -1;
        }
        long length = Math.min(mss, SeqNum.distance(seq, holeEnd));
        return (length << 32) | (seq & 0xffffffffL);
    }

    /**
     * The first octet at or after {@code seq} that is not SACKed (the sender skips SACKed data when it
     * goes back over old data after a timeout), and the end of that hole in {@code holeEndOut[0]}
     * ({@code limit} if no SACKed range follows).
     */
    int skipSacked(int seq, int limit, int[] holeEndOut) {
        holeEndOut[0] = limit;
        for (int i = 0; i < count; i++) {
            if (SeqNum.lt(seq, lefts[i])) {
                holeEndOut[0] = SeqNum.lt(lefts[i], limit) ? lefts[i] : limit;
                return seq;
            }
            if (SeqNum.lt(seq, rights[i])) {
                seq = rights[i];
            }
        }
        return seq;
    }
}
