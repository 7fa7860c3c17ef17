package dev.tuntcp.tcp;

import dev.tuntcp.stack.Timer;
import dev.tuntcp.wire.SeqNum;
import java.util.concurrent.TimeUnit;

/**
 * TLP, the tail loss probe of RFC 8985 §7. When the last segments of a flight are lost, no later
 * segment is delivered for RACK to compare with and no duplicate ACKs come: only the retransmission
 * timer would notice, after an RTO and with cwnd cut to one segment. TLP instead sends one probe
 * after about two round trips of silence (the probe timeout, PTO, §7.2): a new segment if one may go,
 * else the last segment again (§7.3). The probe's ACK carries SACK blocks that let RACK find the
 * losses and repair them by fast recovery.
 *
 * <p>§7.4: if the probe was a retransmission and its ACK shows that it repaired a loss (no D-SACK said
 * the original had arrived), the loss happened and the congestion controller hears of it; a D-SACK
 * for the probe means nothing was lost.
 *
 * <p>Used only when the peer SACKs (RFC 8985 §7 needs RACK, which needs SACK). Owned by the event
 * loop; allocates nothing.
 */
final class TailLossProbe extends Timer {
    /** §7.2 WCDelAckT: the worst-case delayed-ACK time a lone segment may wait at the receiver. */
    static final long WORST_CASE_DELAYED_ACK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** Added to 2·SRTT when more than one segment is in flight (Linux's TCP_TIMEOUT_MIN, 2 ms). */
    static final long PTO_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /**
     * The smallest PTO while the connection has seen no loss. On a sub-millisecond path 2·SRTT is far
     * shorter than the hiccups of a busy host (a descheduled process or softirq, a receiver holding
     * its ACK), and a probe fired by those is a spurious retransmission: LossKernelTest's clean
     * gibibyte (which must see none) saw one to four with a 10-30 ms floor at load 16.
     */
    static final long MIN_PTO_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * The smallest PTO once the connection has lost a segment: on a lossy path a silent tail is most
     * likely a loss, and each probe that waits 100 ms instead of 10 cost loss.sh about a third of its
     * goodput under 3% loss (316 probes in three 64 MiB transfers).
     */
    static final long LOSSY_MIN_PTO_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** §7.2: PTO before any RTT sample. */
    static final long INITIAL_PTO_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Connection c;
    /** Set while the probe waits for the tail to leave the host's transmit queue. */
    private final HostQueueWait departure = new HostQueueWait();
    /** TLP.end_seq (§7.1): SND.NXT when the probe went; an ACK at or beyond it answers the probe. */
    private boolean outstanding;
    private int endSeq;
    /** TLP.is_retrans: the probe was a retransmission of the last segment. */
    private boolean wasRetransmission;
    /** A D-SACK reported the probe's octets twice: the original had arrived. */
    private boolean dsackForProbe;
    private int probeSeq;
    /** The connection has lost a segment (a recovery or a timeout): the lower PTO floor applies. */
    private boolean lossSeen;

    TailLossProbe(Connection connection) {
        this.c = connection;
    }

    /**
     * §7.2: (re)starts the probe timer after new data was sent or new data acknowledged, when the
     * sender is in neither fast nor RTO recovery and no probe is outstanding. PTO = 2·SRTT plus
     * WCDelAckT when less than two full segments are in flight (RFC 8985 says one segment; a
     * receiver holds its ACK until the second full-sized one, so a short segment after a full one
     * waits just the same), else plus
     * 2 ms as Linux does; at least {@link #MIN_PTO_NANOS}; never beyond when the retransmission timer
     * would fire.
     */
    void schedule(long nowNanos, long flightBytes) {
        departure.reset();
        if (outstanding) {
            return;
        }
        long srtt = c.retransmitTimer.srttNanos();
        long pto;
        if (srtt > 0) {
            // A receiver acknowledges at least every second full-sized segment (RFC 9293 §3.8.6.3); with
            // less than that in flight it may hold its ACK for the delayed-ACK time. So may one whose
            // window the flight fills: Linux delays the ACK while its reader has not made room (the
            // ACK would announce a smaller window), and no new data could be the probe anyway.
            boolean ackMayBeDelayed = flightBytes < 2L * c.sndMss || flightBytes + c.sndMss > c.sndWnd;
            pto = 2 * srtt + (ackMayBeDelayed ? WORST_CASE_DELAYED_ACK_NANOS : PTO_SLACK_NANOS);
            pto = Math.max(pto, lossSeen ? LOSSY_MIN_PTO_NANOS : MIN_PTO_NANOS);
        } else {
            pto = INITIAL_PTO_NANOS;
        }
        RetransmitTimer rto = c.retransmitTimer;
        long rtoIn = rto.isScheduled() ? rto.deadline() - nowNanos : rto.rtoNanos();
        if (pto >= rtoIn) {
            cancel(); // the retransmission timer comes first anyway
            return;
        }
        c.layer.timers().scheduleIn(this, pto);
    }

    void cancel() {
        departure.reset();
        if (isScheduled()) {
            c.layer.timers().cancel(this);
        }
    }

    /** A loss was detected on this connection: from now on probes wait {@link #LOSSY_MIN_PTO_NANOS}. */
    void lossSeen() {
        lossSeen = true;
    }

    /** Forgets an outstanding probe (a timeout or a new recovery makes its outcome moot). */
    void reset() {
        outstanding = false;
        dsackForProbe = false;
        cancel();
    }

    boolean outstanding() {
        return outstanding;
    }

    /**
     * §7.3: the PTO expired. Sends a new segment if the window and the send buffer allow, else the
     * last segment sent again; restarts the retransmission timer (the probe is not a timeout).
     */
    @Override
    protected void onExpire() {
        if (c.recovery.mayProbe()) {
            // §7.2: the PTO runs from the last transmission; a tail still in the host's transmit
            // queue has not been transmitted (HostQueueWait).
            switch (departure.atExpiry(c, this)) {
                case WAITING -> {
                    return;
                }
                case LEFT -> {
                    schedule(c.layer.timers().clock().nanos(), SeqNum.distance(c.sndUna, c.sndMax));
                    return;
                }
                default -> {
                }
            }
        }
        departure.reset();
        c.layer.traceTimer(c, TcpTimerKind.LOSS_PROBE);
        if (!c.recovery.mayProbe()) {
            return;
        }
        int sent = 0;
        int seq = c.sndNxt;
        int room = (int) Math.max(0, c.sndWnd - SeqNum.distance(c.sndUna, c.sndNxt));
        if (SeqNum.ge(c.sndNxt, c.sndMax) && room > 0) {
            sent = SegmentSender.transmit(c, c.sndNxt, Math.min(room, c.sndMss));
            if (sent > 0) {
                c.sndNxt += sent;
            }
        }
        wasRetransmission = sent == 0;
        if (sent == 0) {
            // The last segment, at most one MSS of it, so that its ACK or D-SACK is unambiguous.
            long lastEnd = c.sndMax;
            long length = Math.min(c.sndMss, c.recovery.lastSegmentLength());
            seq = (int) (lastEnd - length);
            sent = SegmentSender.transmit(c, seq, (int) length);
        }
        if (sent <= 0) {
            return;
        }
        c.layer.count(TcpStat.TLP_PROBES);
        outstanding = true;
        dsackForProbe = false;
        probeSeq = seq;
        endSeq = c.sndNxt;
        c.retransmitTimer.restart();
        c.events.deliver(c);
    }

    /** A D-SACK block [{@code left}, {@code right}) arrived: does it cover the probe (§7.4)? */
    void onDsack(int left, int right) {
        if (outstanding && wasRetransmission && SeqNum.le(left, probeSeq) && SeqNum.lt(probeSeq, right)) {
            dsackForProbe = true;
        }
    }

    /**
     * §7.4.2 after an ACK: once SND.UNA passes TLP.end_seq the episode is over. Returns true when the
     * probe was a retransmission that repaired a loss (no D-SACK came for it): the caller reduces cwnd.
     */
    boolean onAck(int sndUna) {
        if (!outstanding || SeqNum.lt(sndUna, endSeq)) {
            return false;
        }
        if (!wasRetransmission || dsackForProbe) {
            outstanding = false; // new data, or the D-SACK said the original had arrived: no loss
            return false;
        }
        if (sndUna == endSeq) {
            // The original's ACK or the probe's: the probe's D-SACK, if it was not needed, follows
            // right behind. Only an ACK beyond TLP.end_seq without it settles the question.
            return false;
        }
        outstanding = false;
        return true;
    }
}
