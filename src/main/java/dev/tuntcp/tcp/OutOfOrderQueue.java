package dev.tuntcp.tcp;

import dev.tuntcp.wire.SeqNum;

/**
 * Data received beyond RCV.NXT, held until the gap before it is filled (RFC 9293 §3.10.7.4 seventh:
 * "segments with higher beginning sequence numbers ... may be held for later processing"; RFC 1122
 * §4.2.2.20 SHOULD). Arrivals may come in any order, duplicated or overlapping: only octets not yet
 * held are stored, and the held ranges are kept as sorted, disjoint, non-adjacent runs.
 *
 * <p><b>Where the bytes live.</b> In the receive buffer itself, in the free space past its in-order
 * contents ({@link ReceiveBuffer#storeAhead}): an octet at sequence number {@code s} sits
 * {@code s - RCV.NXT} bytes past the end, exactly where it will be once the gap fills. The window
 * never offers more than that free space (RFC 9293 §3.8.6.2), so every acceptable octet fits; when the
 * gap fills, {@link #advance} just moves the in-order end over the run ({@link ReceiveBuffer#commit}):
 * no second copy, no buffer to release, nothing allocated per segment.
 *
 * <p><b>Bounds</b> (issue 8 item 4), whatever the peer sends: at most {@link #MAX_RUNS} runs, at most
 * {@link TcpConfig#outOfOrderLimit()} bytes held by this connection, and at most
 * {@link TcpConfig#outOfOrderMemoryLimit()} by all connections of the layer together
 * ({@link ResourceLimits}). A segment that would cross one is not held ({@link #insert} says which
 * bound); what is held already stays, and other connections are untouched.
 */
final class OutOfOrderQueue {
    /** Runs of held data per connection (gaps the peer can open at once); more are refused. */
    static final int MAX_RUNS = 64;

    /** Why the last {@link #insert} did not hold its new octets. */
    enum Refusal {
        NONE,
        /** {@link TcpConfig#outOfOrderLimit()}: this connection holds enough. */
        CONNECTION_LIMIT,
        /** {@link TcpConfig#outOfOrderMemoryLimit()}: all connections together hold enough. */
        STACK_LIMIT,
        /** {@link #MAX_RUNS} separate runs are held already. */
        TOO_MANY_RUNS
    }

    private final ResourceLimits limits;
    private final int limit;
    /** Run i is {@code [starts[i], ends[i])}; allocated on the first out-of-order arrival. */
    private int[] starts;
    private int[] ends;
    private int count;
    private int bytes;
    /** A FIN was received out of order: its sequence number, valid while {@link #finHeld}. */
    private int finSeq;
    private boolean finHeld;
    /** What the last {@link #insert} found already held (for D-SACK), or an empty range. */
    private int duplicateLeft;
    private int duplicateRight;

    OutOfOrderQueue(ResourceLimits limits, int limit) {
        this.limits = limits;
        this.limit = limit;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Bytes of data held. */
    int bytes() {
        return bytes;
    }

    int runs() {
        return count;
    }

    /**
     * Holds the octets of {@code [seq, seq + length)} (at {@code src[index]}, borrowed: copied into
     * {@code buffer}) that are not held yet; {@code seq} lies beyond {@code rcvNxt} and the whole range
     * inside the window. All new octets are held, or none (the returned refusal says why). Afterwards
     * {@link #duplicateLeft()}..{@link #duplicateRight()} is the part that was held already.
     */
    Refusal insert(ReceiveBuffer buffer, io.netty.buffer.ByteBuf src, int index, int rcvNxt, int seq, int length) {
        duplicateLeft = seq;
        duplicateRight = seq;
        if (starts == null) {
            starts = new int[MAX_RUNS];
            ends = new int[MAX_RUNS];
        }
        int end = seq + length;
        // Pass 1: how many octets are new, which are duplicates, and does the range touch a run?
        int fresh = 0;
        boolean touches = false;
        int cursor = seq;
        for (int i = 0; i < count && SeqNum.le(starts[i], end); i++) {
            if (SeqNum.lt(ends[i], seq)) {
                continue;
            }
            touches = true;
            if (SeqNum.lt(cursor, starts[i])) {
                fresh += starts[i] - cursor;
            }
            int dupLeft = SeqNum.max(cursor, starts[i]);
            int dupRight = SeqNum.lt(end, ends[i]) ? end : ends[i];
            if (SeqNum.lt(dupLeft, dupRight)) {
                noteDuplicate(dupLeft, dupRight);
            }
            if (SeqNum.gt(ends[i], cursor)) {
                cursor = ends[i];
            }
        }
        if (SeqNum.lt(cursor, end)) {
            fresh += end - cursor;
        }
        if (fresh == 0) {
            return Refusal.NONE;
        }
        if (!touches && count == MAX_RUNS) {
            return Refusal.TOO_MANY_RUNS;
        }
        if ((long) bytes + fresh > limit) {
            return Refusal.CONNECTION_LIMIT;
        }
        if (!limits.holdOutOfOrder(fresh)) {
            return Refusal.STACK_LIMIT;
        }
        // Pass 2: write the new octets where they belong; held ones are left as they are.
        cursor = seq;
        for (int i = 0; i < count && SeqNum.lt(starts[i], end); i++) {
            if (SeqNum.le(ends[i], cursor)) {
                continue;
            }
            if (SeqNum.lt(cursor, starts[i])) {
                store(buffer, src, index, rcvNxt, seq, cursor, starts[i]);
            }
            cursor = ends[i];
        }
        if (SeqNum.lt(cursor, end)) {
            store(buffer, src, index, rcvNxt, seq, cursor, end);
        }
        bytes += fresh;
        union(seq, end);
        return Refusal.NONE;
    }

    private static void store(ReceiveBuffer buffer, io.netty.buffer.ByteBuf src, int index, int rcvNxt, int seq,
                              int from, int to) {
        buffer.storeAhead(from - rcvNxt, src, index + (from - seq), to - from);
    }

    /** Adds {@code [from, to)} to the runs, joining every run it overlaps or touches. */
    private void union(int from, int to) {
        int first = 0;
        while (first < count && SeqNum.lt(ends[first], from)) {
            first++;
        }
        int last = first - 1; // the last run that overlaps or touches [from, to)
        while (last + 1 < count && SeqNum.le(starts[last + 1], to)) {
            last++;
        }
        if (last < first) {
            System.arraycopy(starts, first, starts, first + 1, count - first);
            System.arraycopy(ends, first, ends, first + 1, count - first);
            starts[first] = from;
            ends[first] = to;
            count++;
            return;
        }
        starts[first] = SeqNum.min(from, starts[first]);
        ends[first] = SeqNum.max(to, ends[last]);
        int removed = last - first;
        if (removed > 0) {
            System.arraycopy(starts, last + 1, starts, first + 1, count - last - 1);
            System.arraycopy(ends, last + 1, ends, first + 1, count - last - 1);
            count -= removed;
        }
    }

    private void noteDuplicate(int left, int right) {
        if (duplicateLeft == duplicateRight) {
            duplicateLeft = left;
        }
        duplicateRight = right; // from the first held octet to the last (RFC 2883 reports one block)
    }

    int duplicateLeft() {
        return duplicateLeft;
    }

    int duplicateRight() {
        return duplicateRight;
    }

    /**
     * RCV.NXT reached {@code rcvNxt}: runs it reached become in-order contents of {@code buffer} (they
     * are in place already); runs wholly behind it are forgotten. Returns the new RCV.NXT.
     */
    int advance(ReceiveBuffer buffer, int rcvNxt) {
        while (count > 0 && SeqNum.le(starts[0], rcvNxt)) {
            if (SeqNum.gt(ends[0], rcvNxt)) {
                rcvNxt += buffer.commit(ends[0] - rcvNxt);
            }
            removeFirst();
        }
        return rcvNxt;
    }

    private void removeFirst() {
        int length = ends[0] - starts[0];
        bytes -= length;
        limits.releaseOutOfOrder(length);
        count--;
        System.arraycopy(starts, 1, starts, 0, count);
        System.arraycopy(ends, 1, ends, 0, count);
    }

    /** The left edge of the run holding {@code seq}, or {@code seq} itself when none does. */
    int runLeft(int seq) {
        int i = indexOf(seq);
        return i < 0 ? seq : starts[i];
    }

    /** The right edge of the run holding {@code seq}, or {@code seq} itself when none does. */
    int runRight(int seq) {
        int i = indexOf(seq);
        return i < 0 ? seq : ends[i];
    }

    /** Whether {@code seq} is held. */
    boolean holds(int seq) {
        return indexOf(seq) >= 0;
    }

    private int indexOf(int seq) {
        for (int i = 0; i < count; i++) {
            if (SeqNum.le(starts[i], seq) && SeqNum.lt(seq, ends[i])) {
                return i;
            }
        }
        return -1;
    }

    /** A FIN arrived out of order at {@code seq} (its own sequence number). */
    void holdFin(int seq) {
        finSeq = seq;
        finHeld = true;
    }

    /** True (once) when the held FIN is next in sequence at {@code rcvNxt}. */
    boolean takeFin(int rcvNxt) {
        if (finHeld && finSeq == rcvNxt) {
            finHeld = false;
            return true;
        }
        return false;
    }

    /** Forgets everything held and returns its accounting (the connection or its input ended). */
    void clear() {
        limits.releaseOutOfOrder(bytes);
        bytes = 0;
        count = 0;
        finHeld = false;
    }
}
