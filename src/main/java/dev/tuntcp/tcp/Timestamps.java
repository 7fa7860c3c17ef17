package dev.tuntcp.tcp;

import dev.tuntcp.wire.SeqNum;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

/**
 * The timestamps option of one connection (RFC 7323 §3-§5): the TSval clock, TS.Recent and
 * Last.ACK.sent, PAWS, and RTT measurement (RTTM) from the echoed TSecr.
 *
 * <p>The TSval clock ticks in milliseconds (RFC 7323 §5.4: between 1 ms and 1 s per tick) from the
 * layer's {@link dev.tuntcp.stack.Clock}, plus a per-connection offset that is a keyed hash of the
 * 4-tuple under a key drawn once per process (as Linux's secure_tcp_ts_off): the value on the wire
 * reveals neither the host's uptime nor how TSvals of other connections relate (RFC 7323 §7.1, §5.4).
 */
final class Timestamps {
    /** RFC 7323 §5.5: a TS.Recent older than 24 days is no longer valid for PAWS. */
    static final long RECENT_VALID_NANOS = TimeUnit.DAYS.toNanos(24);
    /** An echoed TSecr further back than this is not one of ours (RFC 7323 §4.2: sanity check). */
    private static final int MAX_RTT_MILLIS = (int) TimeUnit.MINUTES.toMillis(10);
    private static final long KEY0;
    private static final long KEY1;

    static {
        SecureRandom random = new SecureRandom();
        KEY0 = random.nextLong();
        KEY1 = random.nextLong();
    }

    private final Connection c;
    private final int offset;
    /** Both SYNs carried the option (RFC 7323 §3.2): every later segment carries it too. */
    boolean enabled;
    /** TS.Recent (§4.3): the TSval to echo, from the peer's earliest segment not yet acknowledged. */
    int recent;
    /** When {@link #recent} was last set (clock nanos), for the 24-day rule of §5.5. */
    private long recentSetNanos;
    /** Last.ACK.sent (§4.3): the ACK field of the last segment we sent. */
    int lastAckSent;

    Timestamps(Connection c) {
        this.c = c;
        this.offset = offset(c.localAddress, c.localPort, c.remoteAddress, c.remotePort);
    }

    /** The TSval offset of a 4-tuple (also for a SYN cookie's SYN/ACK, sent before any connection exists). */
    static int offset(int localAddress, int localPort, int remoteAddress, int remotePort) {
        long first8 = (Integer.toUnsignedLong(localAddress) << 32) | Integer.toUnsignedLong(remoteAddress);
        return (int) SipHash.hash12(KEY0, KEY1, first8, (localPort << 16) | (remotePort & 0xffff));
    }

    /** The TSval of a 4-tuple with offset {@code offset} at clock time {@code nanos}. */
    static int at(long nanos, int offset) {
        return (int) TimeUnit.NANOSECONDS.toMillis(nanos) + offset;
    }

    /** Our TSval now: milliseconds of the layer's clock plus this connection's offset. */
    int now() {
        return at(c.layer.timers().clock().nanos(), offset);
    }

    /** Sets the option on a segment we send: TSval = now, TSecr = TS.Recent (§3.2, §4.3). */
    void stamp(Segment out, boolean echo) {
        out.hasTimestamps = true;
        out.tsVal = now();
        out.tsEcr = echo ? recent : 0; // TSecr is 0 unless the ACK bit is set (§3.2)
    }

    /** The peer's SYN (or SYN/ACK) carried TSval: the first TS.Recent. */
    void recordSyn(Segment seg) {
        setRecent(seg.tsVal);
    }

    /**
     * Before the acceptability test of RFC 9293 §3.10.7.4: RFC 7323 §3.2 and §5.3 R1 (PAWS). Returns
     * true when the segment is rejected (counted, and answered with an ACK unless it is an RST).
     */
    boolean rejects(Segment seg) {
        if (!enabled || seg.has(Segment.RST)) {
            return false; // "TSopt MAY be sent in an <RST>": an RST is judged by its sequence number
        }
        if (!seg.hasTimestamps) {
            // §3.2: "If a non-<RST> segment is received without a TSopt, a TCP SHOULD silently drop
            // the segment." Once negotiated, the peer stamps every segment.
            c.layer.drop(c, seg, TcpDrop.TIMESTAMP_MISSING);
            return true;
        }
        if (seg.tsVal - recent < 0 && recentValid()) {
            // §5.3 R1: "SEG.TSval < TS.Recent, TS.Recent is valid, and the RST bit is not set, then
            // treat the arriving segment as not acceptable: Send an acknowledgment in reply ... and
            // drop the segment." An old duplicate from an earlier wrap of the sequence space.
            c.layer.drop(c, seg, TcpDrop.PAWS);
            SegmentSender.sendAck(c);
            return true;
        }
        return false;
    }

    /**
     * The segment passed the sequence and ACK checks. §4.3 (and §5.3 R3): "If SEG.TSval >= TS.Recent
     * and SEG.SEQ =< Last.ACK.sent, then SEG.TSval is copied to TS.Recent" — so a delayed ACK echoes
     * the earliest unacknowledged segment. §4.2 (RTTM): an ACK of new data ({@code newlyAcked}) gives
     * an RTT sample from its TSecr.
     */
    void onAcceptable(Segment seg, boolean newlyAcked) {
        if (!enabled || !seg.hasTimestamps) {
            return;
        }
        if ((seg.tsVal - recent >= 0 || !recentValid()) && SeqNum.le(seg.seq, lastAckSent)) {
            setRecent(seg.tsVal);
        }
        if (newlyAcked) {
            rttSample(seg);
        }
    }

    /** RTTM (§4.2): RTT = now - TSecr for an ACK that acknowledges new data; nonsense echoes are ignored. */
    void rttSample(Segment seg) {
        if (!enabled || !seg.hasTimestamps || !seg.has(Segment.ACK) || seg.tsEcr == 0) {
            return;
        }
        int rttMillis = now() - seg.tsEcr;
        if (rttMillis >= 0 && rttMillis <= MAX_RTT_MILLIS) {
            c.rttSample(TimeUnit.MILLISECONDS.toNanos(rttMillis));
        }
    }

    private void setRecent(int tsVal) {
        recent = tsVal;
        recentSetNanos = c.layer.timers().clock().nanos();
    }

    private boolean recentValid() {
        return c.layer.timers().clock().nanos() - recentSetNanos < RECENT_VALID_NANOS;
    }
}
