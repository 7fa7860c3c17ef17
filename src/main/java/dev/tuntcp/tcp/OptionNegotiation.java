package dev.tuntcp.tcp;

/**
 * The options of the handshake (RFC 7323 window scale and timestamps, RFC 2018 SACK-permitted, next
 * to the MSS of RFC 9293 §3.7.1) and the options every later segment carries.
 *
 * <p>Each option is in use only when both SYNs carried it: an active opener offers everything the
 * {@link TcpConfig} enables; a passive one answers in its SYN/ACK only what the SYN offered ("a TCP
 * MUST NOT send a Window Scale option in a <SYN,ACK> segment unless it received one in the <SYN>",
 * RFC 7323 §2.2; likewise §3.2 for timestamps and RFC 2018 §2 for SACK-permitted).
 */
final class OptionNegotiation {
    /** RFC 7323 §2.3: the largest shift; a larger one received is taken as 14. */
    static final int MAX_WINDOW_SCALE = 14;
    /** The timestamps option as every segment carries it: NOP, NOP, kind 8, length 10. */
    static final int TIMESTAMPS_LENGTH = 12;

    private OptionNegotiation() {
    }

    /**
     * Our window-scale shift: the smallest that lets the 16-bit field express the whole receive
     * buffer (as Linux derives it from the largest buffer the connection may get).
     */
    static int ourWindowScale(TcpConfig config) {
        int shift = 0;
        while (shift < MAX_WINDOW_SCALE && (65535L << shift) < config.receiveBufferMax()) {
            shift++;
        }
        return shift;
    }

    /** Options of our SYN (active OPEN): MSS and everything enabled. */
    static void offerSyn(Connection c, Segment out) {
        TcpConfig config = c.layer.config();
        out.mss = config.mss();
        if (config.windowScaling()) {
            out.windowScale = ourWindowScale(config);
        }
        out.sackPermitted = config.sack();
        if (config.timestamps()) {
            c.timestamps.stamp(out, false);
        }
    }

    /** Options of our SYN/ACK: MSS, and what the peer's SYN offered and we enable. */
    static void answerSyn(Connection c, Segment out) {
        out.mss = c.layer.config().mss();
        if (c.windowScaleNegotiated) {
            out.windowScale = c.rcvWscale;
        }
        out.sackPermitted = c.sackPermitted;
        if (c.timestamps.enabled) {
            c.timestamps.stamp(out, true);
        }
    }

    /**
     * The peer's SYN (in LISTEN or SYN-SENT) or SYN/ACK (in SYN-SENT) arrived: every option that it
     * carries and that we enable (and, in SYN-SENT, offered) is now in use in both directions. The
     * window of the SYN itself is never scaled (RFC 7323 §2.2).
     */
    static void peerSyn(Connection c, Segment seg) {
        TcpConfig config = c.layer.config();
        c.windowScaleNegotiated = config.windowScaling() && seg.windowScale >= 0;
        if (c.windowScaleNegotiated) {
            // §2.3: "If a Window Scale option is received with a shift.cnt value larger than 14, the
            // TCP SHOULD log the error but MUST use 14 instead of the specified value."
            c.sndWscale = Math.min(seg.windowScale, MAX_WINDOW_SCALE);
            c.rcvWscale = ourWindowScale(config);
        } else {
            // §2.2: "If a Window Scale option is not received ..., both shift counts are zero."
            c.sndWscale = 0;
            c.rcvWscale = 0;
        }
        c.sackPermitted = config.sack() && seg.sackPermitted;
        c.timestamps.enabled = config.timestamps() && seg.hasTimestamps;
        if (c.timestamps.enabled) {
            c.timestamps.recordSyn(seg);
            // RFC 9293 §3.7.1 / RFC 6691: the MSS counts no options, so the 12 bytes of timestamps on
            // every segment come out of the payload (Linux: mss 1448 with timestamps on a 1500 MTU).
            c.sndMss = Math.max(c.sndMss - TIMESTAMPS_LENGTH, TcpLayer.MIN_SND_MSS);
        }
    }

    /**
     * Options of every synchronized segment we send but an RST: the timestamps (RFC 7323 §3.2: "once
     * negotiated ... MUST be sent in every non-<RST> segment") and, while out-of-order data is held or
     * a duplicate is to be reported, SACK blocks (RFC 2018 §4, RFC 2883). Records Last.ACK.sent.
     */
    static void decorate(Connection c, Segment out) {
        if (out.has(Segment.RST)) {
            return;
        }
        if (out.has(Segment.ACK)) {
            c.timestamps.lastAckSent = out.ack;
        }
        if (out.has(Segment.SYN)) {
            return; // offerSyn / answerSyn chose its options
        }
        if (c.timestamps.enabled) {
            c.timestamps.stamp(out, out.has(Segment.ACK));
        }
        if (out.has(Segment.ACK)) {
            c.delayedAck.ackSent();
            if (c.sackPermitted && c.sackBlocks.hasSomethingToSay()) {
                c.sackBlocks.fill(out, sackBlocksThatFit(c, out));
            }
        }
    }

    /**
     * RFC 2018 §3: n blocks take 8n + 2 option bytes (4-aligned with two NOPs, 8n + 4): four fit in
     * the 40 bytes of option space, three beside the timestamps' 12. A data segment also must not grow
     * past the MSS (RFC 9293 §3.7.1: options count against it; Eff.snd.MSS already leaves room for
     * the timestamps), so a full-sized one carries none.
     */
    static int sackBlocksThatFit(Connection c, Segment out) {
        int space = 40 - (c.timestamps.enabled ? TIMESTAMPS_LENGTH : 0);
        if (out.dataLength > 0) {
            space = Math.min(space, c.sndMss - out.dataLength);
        }
        return space < 12 ? 0 : Math.min((space - 4) / 8, Segment.MAX_SACK_BLOCKS);
    }
}
