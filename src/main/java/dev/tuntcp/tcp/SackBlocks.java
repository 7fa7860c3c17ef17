package dev.tuntcp.tcp;

import dev.tuntcp.wire.SeqNum;

/**
 * The SACK blocks this receiver reports (RFC 2018 §4), in the order they go out: the first block
 * holds the most recently received out-of-order segment, the others repeat the most recently
 * reported blocks, so each run of held data is reported in several ACKs in case some are lost. A
 * duplicate segment is reported once as a D-SACK block (RFC 2883 §4): first, followed by the block
 * that contains it when the duplicate lies above RCV.NXT.
 */
final class SackBlocks {
    private final int[] left = new int[Segment.MAX_SACK_BLOCKS];
    private final int[] right = new int[Segment.MAX_SACK_BLOCKS];
    private int count;
    private boolean duplicatePending;
    private int duplicateLeft;
    private int duplicateRight;

    int count() {
        return count;
    }

    /** The out-of-order run {@code [runLeft, runRight)} just grew or appeared: report it first. */
    void received(int runLeft, int runRight) {
        // Blocks the run now covers are part of it; drop them, then put the run in front.
        int kept = 0;
        for (int i = 0; i < count; i++) {
            boolean covered = SeqNum.le(runLeft, left[i]) && SeqNum.le(right[i], runRight);
            if (!covered) {
                left[kept] = left[i];
                right[kept] = right[i];
                kept++;
            }
        }
        count = Math.min(kept, Segment.MAX_SACK_BLOCKS - 1);
        System.arraycopy(left, 0, left, 1, count);
        System.arraycopy(right, 0, right, 1, count);
        left[0] = runLeft;
        right[0] = runRight;
        count++;
    }

    /** RCV.NXT moved to {@code rcvNxt}: blocks at or below it are acknowledged and go (RFC 2018 §4). */
    void acknowledged(int rcvNxt) {
        int kept = 0;
        for (int i = 0; i < count; i++) {
            if (SeqNum.gt(right[i], rcvNxt)) {
                left[kept] = SeqNum.max(left[i], rcvNxt);
                right[kept] = right[i];
                kept++;
            }
        }
        count = kept;
    }

    /** {@code [from, to)} arrived again: the next ACK reports it as a D-SACK block (RFC 2883). */
    void duplicate(int from, int to) {
        if (SeqNum.lt(from, to)) {
            duplicatePending = true;
            duplicateLeft = from;
            duplicateRight = to;
        }
    }

    /**
     * Puts at most {@code maxBlocks} blocks on an outgoing ACK (the option writer also keeps only
     * what fits in 40 option bytes: three beside timestamps) and spends a pending D-SACK.
     */
    void fill(Segment out, int maxBlocks) {
        if (maxBlocks <= 0) {
            return;
        }
        int n = 0;
        int skip = -1;
        if (duplicatePending) {
            duplicatePending = false;
            out.sackLeft[n] = duplicateLeft;
            out.sackRight[n] = duplicateRight;
            n++;
            // RFC 2883 §4 (2): the block containing a duplicate above the cumulative ACK follows it.
            for (int i = 0; i < count && n < maxBlocks; i++) {
                if (SeqNum.le(left[i], duplicateLeft) && SeqNum.le(duplicateRight, right[i])) {
                    out.sackLeft[n] = left[i];
                    out.sackRight[n] = right[i];
                    n++;
                    skip = i;
                    break;
                }
            }
        }
        for (int i = 0; i < count && n < maxBlocks; i++) {
            if (i != skip) {
                out.sackLeft[n] = left[i];
                out.sackRight[n] = right[i];
                n++;
            }
        }
        out.sackBlockCount = n;
    }

    boolean hasSomethingToSay() {
        return count > 0 || duplicatePending;
    }

    void clear() {
        count = 0;
        duplicatePending = false;
    }
}
