package dev.tuntcp.tcp;

import dev.tuntcp.tcp.cc.CongestionControl;
import dev.tuntcp.wire.SeqNum;

/**
 * The sender's reaction to ACKs and losses, for one connection: the congestion window of the
 * connection's {@link CongestionControl} and when it applies (RFC 5681), duplicate-ACK counting and
 * fast retransmit, RFC 3042 limited transmit, RFC 6582 NewReno fast recovery with partial ACKs, and,
 * when the peer SACKs, RACK-TLP (RFC 8985: {@link RackLossDetection} marks losses by time, including
 * lost retransmissions; {@link TailLossProbe} probes a silent tail) with RFC 6675's pipe-limited
 * recovery over the {@link SentSegments} record. Spurious reductions are undone on D-SACK or Eifel
 * evidence ({@link SpuriousUndo}). It also times one segment at a time for RTT samples (RFC 6298 §3,
 * Karn's algorithm) until timestamps take over ({@link Connection#rttSample}).
 *
 * <p>Called from {@link AckArrival} (every acceptable ACK), {@link SegmentSender} (the window to send
 * into; every segment sent), the retransmission timer and RACK's and TLP's timers. Owned by the event
 * loop; allocates nothing in steady state.
 */
final class LossRecovery {
    /** Scoreboard slots per connection: bounded memory whatever the peer SACKs. */
    static final int SCOREBOARD_RANGES = 64;

    private final Connection c;
    final CongestionControl cc;
    final SackScoreboard scoreboard = new SackScoreboard(SCOREBOARD_RANGES);
    /** Every outstanding segment with its send time and state: what RACK and pipe work on. */
    final SentSegments segments = new SentSegments();
    final RackLossDetection rack = new RackLossDetection(this, segments);
    final TailLossProbe tlp;
    private final SpuriousUndo undo;

    /** The window is set once the handshake is done and the send MSS known. */
    private boolean started;
    /** Our SYN or SYN/ACK had to be retransmitted (RFC 5681 §3.1, RFC 6298 §5.7). */
    private boolean synRetransmitted;

    /** DupAcks (RFC 5681 §2, RFC 6675 §2). */
    private int dupAcks;
    /** In fast recovery (RFC 6582 §3.2 steps 2-3, RFC 6675 §5). */
    private boolean inRecovery;
    /** ...driven by the scoreboard (RFC 6675) rather than by NewReno's partial ACKs. */
    private boolean sackRecovery;
    /**
     * ...begun by the retransmission timer (RFC 8985 §6.3, Linux's CA_Loss): everything outstanding
     * was marked lost and is resent in order as cwnd grows from one segment in slow start.
     */
    private boolean rtoRecovery;
    /** The peer sent SACK blocks (even without having negotiated them: they are used all the same). */
    private boolean sackSeen;
    /** The timer just expired in RACK mode: the forced segment is the first lost one, not a go-back. */
    private boolean timeoutRetransmitPending;
    /**
     * "recover" of RFC 6582 and RecoveryPoint of RFC 6675, as an exclusive end: SND.MAX when recovery
     * began (or the timer last expired). A new recovery starts only once SND.UNA has reached it.
     */
    private int recoveryPoint;
    /** SND.UNA before the latest ACK that advanced it: prev_highest_ack of RFC 6582 §4.2. */
    private int prevHighestAck;

    /** One segment timed for an RTT sample (RFC 6298 §3): its end, and when it was sent. */
    private boolean timing;
    private int timingEnd;
    private long timingStartNanos;
    /** RTT samples come from timestamps (RFC 7323 §4): no segment timing needed. */
    private boolean timestampRtt;
    /** Just after the highest octet ever retransmitted: an ACK beyond it acknowledges data sent once. */
    private int retransmittedEnd;
    /** When the timer last expired with data outstanding; the first ACK after it has not come yet. */
    private long timeoutNanos;
    private boolean awaitingAckAfterTimeout;

    private final int[] holeEnd = new int[1];

    LossRecovery(Connection connection, CongestionControl cc) {
        this.c = connection;
        this.cc = cc;
        this.tlp = new TailLossProbe(connection);
        this.undo = new SpuriousUndo(cc);
    }

    /**
     * RACK-TLP (RFC 8985) needs SACK: without it nothing above a hole is known delivered, and loss
     * detection stays with duplicate ACKs and NewReno's partial ACKs (RFC 6582).
     */
    private boolean rackInUse() {
        return c.sackPermitted || sackSeen;
    }

    // --- opening -------------------------------------------------------------------------------------

    /** ISS is chosen and the SYN (or SYN/ACK) is about to go: time it (RFC 6298 §3 allows the SYN). */
    void synSent(int iss) {
        recoveryPoint = iss;
        prevHighestAck = iss;
        retransmittedEnd = iss + 1;
        timing = true;
        timingEnd = iss + 1;
        timingStartNanos = now();
    }

    /** The SYN or SYN/ACK was retransmitted: Karn forbids its sample; the first window is one MSS. */
    void synRetransmitted() {
        synRetransmitted = true;
        timing = false;
    }

    /**
     * The handshake is complete: the RTT sample of the SYN exchange (when it was not retransmitted),
     * the RFC 6298 §5.7 rule and the initial window of RFC 6928 (one MSS after a lost SYN, RFC 5681 §3.1).
     */
    void start() {
        if (started) {
            return;
        }
        started = true;
        int mss = c.sndMss;
        // Called only once our SYN is acknowledged (SYN-SENT or SYN-RECEIVED, RFC 9293 §3.10.7).
        if (timing && !synRetransmitted) {
            c.retransmitTimer.rttSample(now() - timingStartNanos);
        }
        timing = false;
        if (synRetransmitted) {
            // RFC 6298 §5.7: "the RTO MUST be re-initialized to 3 seconds when data transmission begins".
            c.retransmitTimer.synTimedOut();
        }
        cc.init(mss, synRetransmitted ? mss : initialWindow(mss));
        segments.reserve(c.layer.config().sendBufferSize() / mss + 8);
    }

    /** RFC 6928 §2: IW = min (10*MSS, max (2*MSS, 14600)). */
    static int initialWindow(int mss) {
        return Math.min(10 * mss, Math.max(2 * mss, 14600));
    }

    // --- sending ---------------------------------------------------------------------------------------

    /**
     * How many more octets the congestion window lets the sender put in flight now, given
     * {@code inFlight} outstanding (RFC 5681 §3.1: "MUST NOT send data with a sequence number higher
     * than the sum of the highest acknowledged sequence number and the minimum of cwnd and rwnd";
     * the receiver's window is the caller's). On the first and second duplicate ACK, RFC 3042 limited
     * transmit allows one new segment each beyond cwnd (new data only: not while going back after a
     * timeout).
     */
    int allowance(int inFlight) {
        if (!started) {
            return Integer.MAX_VALUE;
        }
        long window = cc.cwnd();
        if (!inRecovery && dupAcks > 0 && dupAcks < SackScoreboard.DUP_THRESH && SeqNum.ge(c.sndNxt, c.sndMax)) {
            window += (long) dupAcks * c.sndMss; // RFC 3042 §2: FlightSize <= cwnd + 2*SMSS
        }
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, window - inFlight));
    }

    /** In RFC 6675 recovery the scoreboard, not SND.NXT, decides what goes next. */
    boolean inSackRecovery() {
        return sackRecovery;
    }

    /**
     * A segment [{@code seq}, {@code end}) is going out. It is recorded for RACK (its send time); new
     * data may be timed for an RTT sample, and a retransmission of anything at or before the timed
     * segment voids the sample (Karn's algorithm). New data outside recovery (re)starts the tail loss
     * probe timer (RFC 8985 §7.2).
     */
    void onSend(int seq, int end, boolean retransmission, int inFlightBefore) {
        long now = now();
        int recorded = segments.isEmpty() ? c.sndUna : segments.tailEnd();
        if (SeqNum.gt(seq, recorded) && SeqNum.ge(recorded, c.sndUna)) {
            // Octets that left without this record (a zero-window probe's octet): record them too, or
            // a loss of them would never be found.
            segments.sent(recorded, seq, now);
        }
        segments.sent(seq, end, now);
        if (retransmission) {
            undo.retransmitted();
            if (timing && SeqNum.lt(seq, timingEnd)) {
                timing = false;
            }
            if (SeqNum.gt(end, retransmittedEnd)) {
                retransmittedEnd = end;
            }
            return;
        }
        if (started && !inRecovery && dupAcks > 0 && inFlightBefore + (end - seq) > cc.cwnd()) {
            c.layer.count(TcpStat.LIMITED_TRANSMITS);
        }
        if (!timing && !timestampRtt) {
            timing = true;
            timingEnd = end;
            timingStartNanos = now;
        }
        if (started && rackInUse() && !inRecovery) {
            tlp.schedule(now, SeqNum.distance(c.sndUna, SeqNum.gt(end, c.sndMax) ? end : c.sndMax));
        }
    }

    /**
     * Skips octets the receiver has SACKed when the sender goes back over old data after a timeout:
     * moves SND.NXT past them and returns how far the next segment may reach without running into
     * SACKed data (or {@code limit} when nothing is SACKed ahead).
     */
    int skipSacked(int limit) {
        if (scoreboard.isEmpty() || !SeqNum.lt(c.sndNxt, c.sndMax)) {
            return limit;
        }
        int next = scoreboard.skipSacked(c.sndNxt, c.sndMax, holeEnd);
        if (SeqNum.lt(next, c.sndMax)) {
            c.sndNxt = next;
        } else if (SeqNum.lt(c.sndNxt, c.sndMax)) {
            c.sndNxt = c.sndMax; // everything left has been SACKed; new data follows
            return limit;
        }
        return (int) Math.min(limit, SeqNum.distance(c.sndNxt, holeEnd[0]));
    }

    /**
     * RFC 6675 §5 step (C), with RACK's marks for IsLost (RFC 8985 §6): while cwnd − pipe ≥ 1 SMSS,
     * resend the oldest segment marked lost and not yet resent (NextSeg rule 1), else new data the
     * receiver's window allows (rule 2). Rule 3 (resending a hole not known lost) is left to the tail
     * loss probe, as Linux does.
     */
    void sendSackRecovery() {
        int mss = c.sndMss;
        while (cc.cwnd() - segments.pipe() >= mss) {
            if (retransmitFirstLost()) {
                continue;
            }
            int room = (int) Math.max(0, c.sndWnd - SeqNum.distance(c.sndUna, c.sndNxt));
            if (SeqNum.ge(c.sndNxt, c.sndMax) && (room > 0 || c.finQueued)) {
                int n = SegmentSender.transmit(c, c.sndNxt, Math.min(room, mss));
                if (n > 0) {
                    c.sndNxt += n;
                    continue;
                }
            }
            return;
        }
    }

    /** Resends the oldest segment marked lost and not yet resent (at most one MSS of it). */
    private boolean retransmitFirstLost() {
        int i = segments.firstToRetransmit();
        if (i < 0) {
            return false;
        }
        int seq = segments.startAt(i);
        int n = SegmentSender.transmit(c, seq, (int) Math.min(c.sndMss, SeqNum.distance(seq, segments.endAt(i))));
        if (n <= 0) {
            return false;
        }
        return true;
    }

    /**
     * The retransmission timer expired in RACK mode ({@link SegmentSender}'s forced segment): resend
     * the oldest lost segment whatever cwnd says, and keep SND.NXT at SND.MAX — what follows is chosen
     * segment by segment from the lost marks (RFC 8985 §6.3), not by going back. Returns false when
     * the timeout is not RACK's to handle (the caller goes back as RFC 9293 does).
     */
    boolean timeoutRetransmit() {
        if (!timeoutRetransmitPending) {
            return false;
        }
        timeoutRetransmitPending = false;
        c.sndNxt = c.sndMax;
        if (c.timestamps.enabled && c.retransmitTimer.retries() == 1) {
            undo.timeoutRetransmission(c.timestamps.now()); // Eifel compares with the first retransmission
        }
        if (retransmitFirstLost()) {
            return true;
        }
        c.sndNxt = c.sndUna; // nothing marked (everything SACKed?): the classic go-back
        return false;
    }

    /** RFC 8985 §7.3: whether a tail loss probe may go now (not in recovery, data outstanding). */
    boolean mayProbe() {
        return started && rackInUse() && !inRecovery && c.sndWnd > 0 && c.sndUna != c.sndMax
                && SeqNum.ge(c.sndNxt, c.sndMax) && switch (c.state) {
                    case ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, CLOSING, LAST_ACK -> true;
                    default -> false;
                };
    }

    /**
     * The retransmission timer was held while the latest segment waited in the host's transmit queue
     * and restarted once it left ({@link HostQueueWait}): the loss probe, which the sooner timeout had
     * cancelled, is scheduled from now as after a transmission (RFC 8985 §7.2).
     */
    void retransmitTimerHeld() {
        if (mayProbe()) {
            tlp.schedule(now(), SeqNum.distance(c.sndUna, c.sndMax));
        }
    }

    /** The length of the newest outstanding segment (what a probe resends). */
    long lastSegmentLength() {
        int last = segments.last();
        return last < 0 ? SeqNum.distance(c.sndUna, c.sndMax)
                : SeqNum.distance(segments.startAt(last), segments.endAt(last));
    }

    // --- ACKs ---------------------------------------------------------------------------------------

    /**
     * The ACK of {@code seg} has been accepted and SND.UNA moved from {@code oldUna} to SEG.ACK (if it
     * advanced). {@code classicDuplicate}: the RFC 5681 §2 duplicate-ACK conditions (outstanding data,
     * no text, no SYN/FIN, SEG.ACK = SND.UNA, window unchanged) hold.
     */
    void onAck(Segment seg, int oldUna, boolean classicDuplicate) {
        if (!started) {
            return;
        }
        int ack = c.sndUna;
        int mss = c.sndMss;
        long now = now();
        boolean advanced = SeqNum.lt(oldUna, ack);
        rack.beginAck(now);
        int newlySacked = seg.sackBlockCount > 0 ? updateScoreboard(seg) : 0;

        if (advanced) {
            int acked = (int) SeqNum.distance(oldUna, ack);
            int flightBefore = (int) SeqNum.distance(oldUna, c.sndMax);
            scoreboard.acknowledge(ack);
            segments.acknowledge(ack, rack);
            if (timing && SeqNum.ge(ack, timingEnd)) {
                timing = false;
                c.retransmitTimer.rttSample(now - timingStartNanos);
            }
            if (SeqNum.gt(ack, retransmittedEnd)) {
                c.retransmitTimer.onUnambiguousAck();
            }
            if (awaitingAckAfterTimeout) {
                firstAckAfterTimeout(seg, now);
            }
            prevHighestAck = oldUna;
            dupAcks = 0; // RFC 6675 §5: "If the incoming ACK is a cumulative acknowledgment ... reset DupAcks"
            if (inRecovery) {
                if (SeqNum.ge(ack, recoveryPoint)) {
                    exitRecovery();
                } else if (rtoRecovery) {
                    cc.onAck(acked, true, now, c.retransmitTimer.srttNanos()); // slow start from LW
                } else if (!sackRecovery) {
                    partialAck(acked);
                }
            } else {
                int cwnd = cc.cwnd();
                boolean cwndLimited = flightBefore + mss > cwnd || (cc.inSlowStart() && 2L * flightBefore > cwnd);
                cc.onAck(acked, cwndLimited, now, c.retransmitTimer.srttNanos());
            }
            if (tlp.onAck(ack) && !inRecovery) {
                // RFC 8985 §7.4.2: the probe resent the last segment and no D-SACK said the original
                // had arrived: it repaired a real loss, and the congestion controller must hear of it.
                c.layer.count(TcpStat.TLP_RECOVERIES);
                cc.onCongestion(flightBefore, now);
            }
        }

        // RFC 6675 §2: an ACK that SACKs new octets is a duplicate ACK; without SACK, RFC 5681 §2's.
        boolean duplicate = newlySacked > 0 || (seg.sackBlockCount == 0 && classicDuplicate);
        if (duplicate && c.sndWnd != 0) {
            if (inRecovery) {
                if (!sackRecovery) {
                    // RFC 6582 §3.2 step 3: each further duplicate ACK inflates cwnd by one SMSS.
                    cc.setCwnd(cc.cwnd() + mss);
                }
            } else {
                dupAcks++;
            }
        }
        if (rackInUse()) {
            rackAfterAck(seg, now, classicDuplicate && duplicate);
            return;
        }
        if (!duplicate || c.sndWnd == 0 || inRecovery) {
            return; // answers to zero-window probes are the persist timer's business, not losses
        }
        boolean lost = dupAcks >= SackScoreboard.DUP_THRESH;
        // RFC 6582 §3.2 step 2 / RFC 6675 §5: only if the ACK covers more than the last recovery point,
        // so that the losses of one window cause one reduction. Below it (while going back after a
        // timeout), RFC 6582 §4.2's ACK heuristic tells a new loss from duplicates caused by
        // unnecessary retransmissions: cwnd > SMSS and the last advance of the ACK was at most 4·SMSS.
        boolean newLoss = SeqNum.ge(ack, recoveryPoint)
                || (cc.cwnd() > mss && SeqNum.distance(prevHighestAck, ack) <= 4L * mss);
        if (lost && newLoss) {
            enterRecovery(now);
        }
    }

    /**
     * RFC 8985 §6.2 step 5 after an ACK: RACK marks what is lost; marks outside recovery start one
     * (RFC 8985 §9.3: RACK's detection replaces DupThresh as the trigger). A peer that negotiated SACK
     * but sends plain duplicate ACKs still gets RFC 5681's third-duplicate rule. Then the tail loss
     * probe is re-armed while the flight continues normally (§7.2).
     */
    private void rackAfterAck(Segment seg, long now, boolean plainDuplicate) {
        if (c.sndWnd == 0) {
            return; // a zero window: the persist timer's business, not a loss
        }
        if (rack.advanced()) {
            detectLosses(now);
        }
        if (plainDuplicate && seg.sackBlockCount == 0 && dupAcks >= SackScoreboard.DUP_THRESH
                && !inRecovery && !segments.isEmpty()) {
            segments.markLost(0);
        }
        if (!inRecovery && segments.firstToRetransmit() >= 0) {
            enterRecovery(now);
        }
        if (!inRecovery && c.sndUna != c.sndMax) {
            tlp.schedule(now, SeqNum.distance(c.sndUna, c.sndMax));
        } else if (c.sndUna == c.sndMax) {
            tlp.cancel();
        }
    }

    /** RACK_detect_loss with the current reordering window; counts what it marked. */
    private int detectLosses(long now) {
        long srtt = c.retransmitTimer.srttNanos();
        int lost = rack.detectLoss(now, rack.reoWnd(inRecovery, c.sndMss, srtt));
        for (int i = 0; i < lost; i++) {
            c.layer.count(TcpStat.RACK_LOSSES);
        }
        for (int i = rack.lostRetransmissions(); i > 0; i--) {
            c.layer.count(TcpStat.LOST_RETRANSMITS);
        }
        return lost;
    }

    /**
     * RACK's reordering timer expired (RFC 8985 §6.2 step 5): the segments it waited for are lost now
     * if nothing was delivered for them; recovery starts (or goes on) and sends what it may.
     */
    void onRackTimer() {
        c.layer.traceTimer(c, TcpTimerKind.RACK_REORDER);
        if (!started || c.sndUna == c.sndMax || !mayRespond()) {
            return;
        }
        c.layer.count(TcpStat.RACK_REORDER_TIMEOUTS);
        long now = now();
        if (detectLosses(now) > 0) {
            if (!inRecovery) {
                enterRecovery(now);
            }
            SegmentSender.output(c, false);
            c.events.deliver(c);
        }
    }

    private boolean mayRespond() {
        return switch (c.state) {
            case ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, CLOSING, LAST_ACK -> true;
            default -> false;
        };
    }

    /**
     * RFC 6582 §3.2 step 2 (fast retransmit, NewReno) or RFC 6675 §5 steps (4.1)-(4.3) (SACK):
     * ssthresh from the flight, the first missing segment sent again at once.
     */
    private void enterRecovery(long now) {
        int mss = c.sndMss;
        int flight = (int) SeqNum.distance(c.sndUna, c.sndMax);
        recoveryPoint = c.sndMax;
        inRecovery = true;
        tlp.reset();
        tlp.lossSeen();
        undo.episodeBegins(c.sndUna);
        cc.onCongestion(flight, now);
        c.layer.count(TcpStat.FAST_RETRANSMITS);
        if (rackInUse()) {
            // RFC 8985 with RFC 6675 §5 (4.3): the oldest lost segment goes at once, the rest as pipe allows.
            sackRecovery = true;
            if (sackSeen) {
                c.layer.count(TcpStat.SACK_RECOVERIES);
            }
            retransmitFirstLost();
            return;
        }
        SegmentSender.transmit(c, c.sndUna, oldDataAt(c.sndUna));
        // "set cwnd to ssthresh plus 3*SMSS": the three segments that left the network.
        cc.setCwnd(cc.ssthresh() + 3 * mss);
    }

    /**
     * RFC 6582 §3.2 step 3 (partial acknowledgment): retransmit the first unacknowledged segment,
     * deflate cwnd by the amount acknowledged and add back one SMSS if at least one SMSS was.
     */
    private void partialAck(int acked) {
        int mss = c.sndMss;
        SegmentSender.transmit(c, c.sndUna, oldDataAt(c.sndUna));
        cc.setCwnd(cc.cwnd() - acked + (acked >= mss ? mss : 0));
        c.layer.count(TcpStat.PARTIAL_ACKS);
    }

    /** A retransmission from {@code seq} covers at most one MSS of what was sent before (up to SND.MAX). */
    private int oldDataAt(int seq) {
        return (int) Math.min(c.sndMss, SeqNum.distance(seq, c.sndMax));
    }

    /**
     * The full acknowledgment ends recovery. NewReno deflates the window (RFC 6582 §3.2 step 3, the
     * first option: min (ssthresh, max (FlightSize, SMSS) + SMSS)); RFC 6675 never inflated it, and
     * after a timeout cwnd has grown back in slow start.
     */
    private void exitRecovery() {
        if (!sackRecovery && !rtoRecovery) {
            int flight = (int) SeqNum.distance(c.sndUna, c.sndMax);
            cc.setCwnd(Math.min(cc.ssthresh(), Math.max(flight, c.sndMss) + c.sndMss));
        }
        inRecovery = false;
        sackRecovery = false;
        rtoRecovery = false;
        dupAcks = 0;
        rack.recoveryEnded();
    }

    /**
     * RFC 6675 §5 Update(): records the SACK blocks of an ACK. A first block below SND.UNA or inside
     * the second is a D-SACK (RFC 2883 §4): counted, not a loss signal. A block that is empty, or
     * reaches beyond what was sent, is bad input: ignored and counted. A block wholly below SND.UNA is
     * a stale report (a reordered ACK) and carries nothing. Returns the octets newly SACKed.
     */
    private int updateScoreboard(Segment seg) {
        int una = c.sndUna;
        int dataEnd = c.sendBuffer.endSeq();
        int newly = 0;
        for (int i = 0; i < seg.sackBlockCount && i < Segment.MAX_SACK_BLOCKS; i++) {
            int left = seg.sackLeft[i];
            int right = seg.sackRight[i];
            if (i == 0 && isDsack(seg, left, right)) {
                onDsack(left, right);
                continue;
            }
            if (!SeqNum.lt(left, right) || SeqNum.gt(right, c.sndMax)
                    || SeqNum.distance(left, right) > SeqNum.distance(una, c.sndMax)) {
                c.layer.drop(c, seg, TcpDrop.SACK_OUT_OF_WINDOW);
                continue;
            }
            if (SeqNum.le(right, una)) {
                continue;
            }
            if (SeqNum.lt(left, una)) {
                left = una;
            }
            if (SeqNum.gt(right, dataEnd)) {
                right = dataEnd; // SACK covers data, never our FIN
            }
            sackSeen = true;
            newly += scoreboard.add(left, right);
            segments.sack(left, right, rack);
        }
        return newly;
    }

    /**
     * A D-SACK (RFC 2883): the receiver got these octets twice. It widens RACK's reordering window
     * (RFC 8985 §6.2 step 4), may show that a tail loss probe was not needed (§7.4), and once every
     * retransmission of a loss episode has been reported so, the reduction is undone (RFC 2883 §4,
     * {@link SpuriousUndo}).
     */
    private void onDsack(int left, int right) {
        c.layer.count(TcpStat.DSACKS_RECEIVED);
        rack.onDsack(c.sndUna, c.sndMax);
        tlp.onDsack(left, right);
        if (undo.onDsack(left, right, c.sndMss)) {
            c.layer.count(TcpStat.SPURIOUS_UNDOS);
        }
    }

    /** RFC 2883 §4: the first block is a D-SACK if it lies below the cumulative ACK or inside the second. */
    private static boolean isDsack(Segment seg, int left, int right) {
        if (!SeqNum.lt(left, right)) {
            return false;
        }
        if (SeqNum.le(right, seg.ack)) {
            return true;
        }
        return seg.sackBlockCount > 1 && SeqNum.le(seg.sackLeft[1], left) && SeqNum.le(right, seg.sackRight[1]);
    }

    // --- timeouts -----------------------------------------------------------------------------------

    /**
     * The retransmission timer expired with data outstanding ({@code firstExpiry}: the first of this
     * loss episode). RFC 5681 §3.1: ssthresh (first expiry only) and cwnd = LW; RFC 6582 §3.2 step 1 /
     * RFC 6675 §5.1: "recover" moves to SND.MAX and any fast recovery ends; Karn: the timed segment is
     * void. SACK information is kept for the go-back (RFC 6675 §5.1 allows it), except after repeated
     * expiries, when the receiver may have reneged (RFC 2018 §8).
     */
    void onRetransmitTimeout(boolean firstExpiry) {
        int flight = (int) SeqNum.distance(c.sndUna, c.sndMax);
        timing = false;
        tlp.reset();
        if (!started || flight == 0 || c.sndWnd == 0) {
            return; // a zero-window probe went unanswered: no sign of congestion
        }
        timeoutNanos = now();
        awaitingAckAfterTimeout = true;
        tlp.lossSeen();
        if (firstExpiry) {
            undo.episodeBegins(c.sndUna);
        }
        cc.onTimeout(flight, firstExpiry, timeoutNanos);
        recoveryPoint = c.sndMax;
        inRecovery = false;
        sackRecovery = false;
        rtoRecovery = false;
        dupAcks = 0;
        if (!firstExpiry) {
            scoreboard.clear();
        }
        if (rackInUse()) {
            // RFC 8985 §6.3: every outstanding segment not SACKed is lost; they are resent in order as
            // slow start allows, each timed again so that RACK also sees those retransmissions lost.
            rack.cancelTimer();
            segments.markAllLost(!firstExpiry);
            inRecovery = true;
            sackRecovery = true;
            rtoRecovery = true;
            timeoutRetransmitPending = true;
        }
    }

    /**
     * The first ACK of new data after a timeout. If it came sooner than half an SRTT after the
     * retransmission, it cannot answer the retransmission: it answers the original, and the timeout
     * was spurious (the RTT grew past the RTO) — counted, and the backoff kept, as Karn's algorithm
     * wants. Otherwise it answers the retransmission: the path delivers again, so the backoff ends even
     * though Karn allows no sample (without this, a path where every acknowledged segment was sent
     * twice — a receiver that drops out-of-order data — keeps a doubled RTO for the rest of the
     * connection). RFC 3522 (Eifel) detects the first case exactly, with timestamps.
     */
    private void firstAckAfterTimeout(Segment seg, long now) {
        awaitingAckAfterTimeout = false;
        if (undo.firstAckAfterTimeout(seg)) {
            // RFC 3522 (Eifel) detected it; RFC 4015 §3: go on with new data, not back over old.
            c.layer.count(TcpStat.SPURIOUS_RTOS);
            c.layer.count(TcpStat.SPURIOUS_UNDOS);
            if (rtoRecovery) {
                segments.clearLost();
                inRecovery = false;
                sackRecovery = false;
                rtoRecovery = false;
            }
            return;
        }
        long srtt = c.retransmitTimer.srttNanos();
        if (srtt > 0 && now - timeoutNanos < srtt / 2) {
            c.layer.count(TcpStat.SPURIOUS_RTOS);
        } else {
            c.retransmitTimer.onUnambiguousAck();
        }
    }

    /** The connection's timer queue (for RACK's reordering timer). */
    dev.tuntcp.stack.TimerQueue timers() {
        return c.layer.timers();
    }

    /**
     * The path MTU shrank and the connection goes back to SND.UNA to send its flight again in smaller
     * segments ({@link Connection#pathMtuReduced}): any recovery in progress ends without touching
     * cwnd or ssthresh (a Too Big message is no congestion signal, RFC 1191 §6.4), lost marks are
     * void (the go-back resends everything not SACKed), no probe is due, and Karn's rule voids the
     * segment being timed.
     */
    void onPathMtuReduced() {
        timing = false;
        tlp.reset();
        rack.cancelTimer();
        segments.clearLost();
        inRecovery = false;
        sackRecovery = false;
        rtoRecovery = false;
        timeoutRetransmitPending = false;
        dupAcks = 0;
    }

    /** Stops RACK's and TLP's timers: the connection is closing or closed. */
    void cancelTimers() {
        rack.cancelTimer();
        tlp.reset();
    }

    /**
     * An RTT sample from the timestamps option (RFC 7323 §4) for the ACK just processed: from now on
     * segments are not timed one by one. Returns the sample to use. TSecr echoes TS.Recent, which after
     * a lost ACK and a retransmission can be the TSval of a segment sent long before (the receiver
     * does not update TS.Recent for a duplicate): a "sample" of a whole recovery, which would inflate
     * SRTT and RTTVAR and so every later RTO and stall. The newest transmission of a segment this ACK
     * delivered bounds the true round trip from above (the ACK cannot precede that segment), so the
     * smaller of the two is taken. An underestimate is harmless next to the RTO floor.
     */
    long timestampSample(long nanos) {
        timestampRtt = true;
        timing = false;
        long newest = rack.newestDeliveredSentNanos();
        if (newest != Long.MIN_VALUE) {
            long bound = now() - newest;
            if (bound >= 0 && bound < nanos) {
                return bound;
            }
        }
        return nanos;
    }

    // --- for tests and STATUS ------------------------------------------------------------------------

    int dupAcks() {
        return dupAcks;
    }

    boolean inRecovery() {
        return inRecovery;
    }

    private long now() {
        return c.layer.timers().clock().nanos();
    }
}
