package dev.tuntcp.tcp;

import dev.tuntcp.stack.Timer;
import dev.tuntcp.wire.SeqNum;

/**
 * RACK, the time-based loss detection of RFC 8985 §6: a segment is lost once a segment sent
 * <em>after</em> it has been delivered (cumulatively acknowledged or SACKed) and a reordering window
 * has passed since. It measures time, not sequence distance, so it also catches a retransmission that
 * was itself lost (the next segment sent after it is delivered) and losses at the tail of a flight,
 * where DupThresh never counts up to three — neither needs the retransmission timer any more.
 *
 * <p>State per connection (§5.2 "Per-connection variables"): RACK.xmit_ts / RACK.end_seq of the most
 * recently sent segment known delivered, RACK.rtt, RACK.min_RTT, RACK.fack, RACK.reordering_seen and
 * the D-SACK-driven reordering window (§6.2 step 4). The per-segment state lives in
 * {@link SentSegments}. The reordering timer of §6.2 step 5 is this object's {@link Timer}.
 *
 * <p>Owned by the event loop; allocates nothing.
 */
final class RackLossDetection extends Timer implements SentSegments.Delivery {
    /** §6.2 step 4: the reordering window may grow to this many quarters of min_RTT on D-SACKs... */
    private static final int MAX_REO_WND_MULT = 1 << 8;
    /** ...and keeps its size for this many recoveries after the last D-SACK round. */
    private static final int REO_WND_PERSIST = 16;

    private final LossRecovery recovery;
    private final SentSegments segments;

    private boolean hasRack;
    /** RACK.xmit_ts and RACK.end_seq: the most recently sent segment known delivered. */
    private long xmitNanos;
    private int endSeq;
    /** RACK.rtt: the RTT of that segment (now minus its latest transmission). */
    private long rttNanos;
    /** RACK.min_RTT over the connection (Linux keeps a windowed minimum; a path rarely gets faster). */
    private long minRttNanos = Long.MAX_VALUE;
    /** RACK.fack: the highest sequence number known delivered. */
    private int fack;
    private boolean fackValid;
    /** RACK.reordering_seen (§6.2 step 3). */
    private boolean reorderingSeen;
    /** RACK.reo_wnd_mult, RACK.reo_wnd_persist, RACK.dsack_round (§6.2 step 4). */
    private int reoWndMult = 1;
    private int reoWndPersist;
    private boolean dsackRoundActive;
    private int dsackRound;
    /** Something was delivered since the last detection: worth scanning (RACK.advanced in Linux). */
    private boolean advanced;
    private long now;
    private long newestDeliveredSentNanos = Long.MIN_VALUE;
    /** Of the segments the last {@link #detectLoss} marked, how many were retransmissions. */
    private int lostRetransmissions;

    RackLossDetection(LossRecovery recovery, SentSegments segments) {
        this.recovery = recovery;
        this.segments = segments;
    }

    /** Starts the work for one ACK: every delivery reported until {@link #detectLoss} is "now". */
    void beginAck(long nowNanos) {
        now = nowNanos;
        newestDeliveredSentNanos = Long.MIN_VALUE;
    }

    /**
     * The latest transmission time among the segments this ACK delivered (any transmission, original
     * or not), or {@link Long#MIN_VALUE}: the ACK cannot have left the receiver before that segment
     * arrived, so now minus this bounds the round trip from above whatever else was lost.
     */
    long newestDeliveredSentNanos() {
        return newestDeliveredSentNanos;
    }

    /**
     * §6.2 steps 2 and 3 (RACK_update, RACK_detect_reordering) for one delivered segment. A delivered
     * retransmission whose RTT would be shorter than min_RTT may be the original's ACK: it cannot
     * tell anything about time (Karn's ambiguity), so it is skipped.
     */
    @Override
    public void delivered(long sentNanos, int end, boolean everRetransmitted) {
        if (sentNanos > newestDeliveredSentNanos) {
            newestDeliveredSentNanos = sentNanos;
        }
        long rtt = now - sentNanos;
        if (!everRetransmitted) {
            if (fackValid && SeqNum.lt(end, fack)) {
                reorderingSeen = true; // delivered below what was delivered before: reordered
            }
        } else if (rtt < minRttNanos) {
            return;
        }
        if (!fackValid || SeqNum.gt(end, fack)) {
            fack = end;
            fackValid = true;
        }
        if (rtt >= 0 && rtt < minRttNanos) {
            minRttNanos = rtt;
        }
        if (!hasRack || sentAfter(sentNanos, end, xmitNanos, endSeq)) {
            hasRack = true;
            xmitNanos = sentNanos;
            endSeq = end;
            rttNanos = Math.max(rtt, 0);
        }
        advanced = true;
    }

    /** RACK_sent_after: t1/seq1 was sent after t2/seq2 (the sequence number breaks a tie in time). */
    private static boolean sentAfter(long t1, int seq1, long t2, int seq2) {
        return t1 > t2 || (t1 == t2 && SeqNum.gt(seq1, seq2));
    }

    /**
     * §6.2 step 4, the D-SACK part of RACK_update_reo_wnd: a D-SACK (a retransmission that was not
     * needed) widens the reordering window by one quarter min_RTT, at most once per round trip.
     */
    void onDsack(int sndUna, int sndNxt) {
        if (dsackRoundActive && SeqNum.ge(sndUna, dsackRound)) {
            dsackRoundActive = false;
        }
        if (!dsackRoundActive) {
            dsackRoundActive = true;
            dsackRound = sndNxt;
            reoWndMult = Math.min(reoWndMult + 1, MAX_REO_WND_MULT);
            reoWndPersist = REO_WND_PERSIST;
        }
    }

    /** §6.2 step 4: a recovery ended; after 16 without a D-SACK the window is back to min_RTT/4. */
    void recoveryEnded() {
        if (reoWndPersist > 0 && --reoWndPersist == 0) {
            reoWndMult = 1;
        }
    }

    /**
     * §6.2 step 4 RACK.reo_wnd: 0 while no reordering has been seen and either recovery is under way
     * or DupThresh segments' worth is SACKed (the classic rule, RFC 6675); otherwise
     * min(reo_wnd_mult · min_RTT / 4, SRTT).
     */
    long reoWnd(boolean inRecovery, int mss, long srttNanos) {
        if (!reorderingSeen
                && (inRecovery || segments.sackedBytes() > (long) (SackScoreboard.DUP_THRESH - 1) * mss)) {
            return 0;
        }
        if (minRttNanos == Long.MAX_VALUE) {
            return 0;
        }
        long wnd = reoWndMult * (minRttNanos / 4);
        return srttNanos > 0 ? Math.min(wnd, srttNanos) : wnd;
    }

    /**
     * §6.2 step 5 (RACK_detect_loss): marks lost every outstanding segment, not SACKed and not already
     * waiting as lost, that was sent before RACK's segment and more than RACK.rtt + reo_wnd ago. A
     * retransmission counts by its own transmission time, so a lost retransmission is found here too.
     * Segments not yet old enough arm the reordering timer for when they will be. Returns the number
     * of segments newly marked lost.
     */
    int detectLoss(long nowNanos, long reoWndNanos) {
        now = nowNanos;
        if (!hasRack) {
            return 0;
        }
        advanced = false;
        lostRetransmissions = 0;
        long wait = 0;
        int lost = 0;
        for (int i = 0; i < segments.size(); i++) {
            if (segments.has(i, SentSegments.SACKED)
                    || (segments.has(i, SentSegments.LOST) && !segments.has(i, SentSegments.RETRANS))) {
                continue;
            }
            long sent = segments.sentAt(i);
            if (!sentAfter(xmitNanos, endSeq, sent, segments.endAt(i))) {
                continue; // sent after (or is) the newest delivered segment: nothing known about it yet
            }
            long remaining = sent + rttNanos + reoWndNanos - nowNanos;
            if (remaining <= 0) {
                if (segments.has(i, SentSegments.RETRANS)) {
                    lostRetransmissions++;
                }
                segments.markLost(i);
                lost++;
            } else if (remaining > wait) {
                wait = remaining;
            }
        }
        reschedule(wait);
        return lost;
    }

    int lostRetransmissions() {
        return lostRetransmissions;
    }

    /** Whether anything was delivered since the last scan. */
    boolean advanced() {
        return advanced;
    }

    long minRttNanos() {
        return minRttNanos == Long.MAX_VALUE ? 0 : minRttNanos;
    }

    boolean reorderingSeen() {
        return reorderingSeen;
    }

    /** §6.2 step 5: the reordering timer expired: detect again and let recovery act on what it finds. */
    @Override
    protected void onExpire() {
        recovery.onRackTimer();
    }

    /** Stops the reordering timer (recovery by the retransmission timer takes over). */
    void cancelTimer() {
        reschedule(0);
    }

    private void reschedule(long delayNanos) {
        if (delayNanos > 0) {
            recovery.timers().scheduleIn(this, delayNanos);
        } else if (isScheduled()) {
            recovery.timers().cancel(this);
        }
    }
}
