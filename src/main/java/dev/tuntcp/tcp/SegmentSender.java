package dev.tuntcp.tcp;

import dev.tuntcp.wire.SeqNum;

/**
 * Forms every segment TCP sends, in the shapes RFC 9293 §3.10 gives them ({@code <SEQ=..><ACK=..>
 * <CTL=..>}), and the output routine that turns the send buffer into segments: at most one MSS each,
 * within the peer's window, the FIN after the last octet, ACK on everything once synchronized.
 */
final class SegmentSender {
    private SegmentSender() {
    }

    /** {@code <SEQ=ISS><CTL=SYN>} with our MSS (RFC 9293 §3.10.1 active OPEN). */
    static void sendSyn(Connection c) {
        Segment out = c.layer.outSegment(c);
        out.seq = c.iss;
        out.flags = Segment.SYN;
        out.window = synWindow(c);
        out.mss = c.layer.config().mss();
        c.layer.emit(c, out);
    }

    /** {@code <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>} with our MSS (RFC 9293 §3.10.7.2 third). */
    static void sendSynAck(Connection c) {
        Segment out = c.layer.outSegment(c);
        out.seq = c.iss;
        out.ack = c.rcvNxt;
        out.flags = Segment.SYN | Segment.ACK;
        out.window = synWindow(c);
        out.mss = c.layer.config().mss();
        c.layer.emit(c, out);
    }

    /** {@code <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>}: the acknowledgment of §3.10.7.4. */
    static void sendAck(Connection c) {
        Segment out = c.layer.outSegment(c);
        out.seq = c.sndNxt;
        out.ack = c.rcvNxt;
        out.flags = Segment.ACK;
        out.window = advertise(c);
        c.ackNow = false;
        c.layer.emit(c, out);
    }

    /**
     * RFC 5961 §3.2 / §4.2 / §5.2 challenge ACK: the same shape as {@link #sendAck}, counted apart, and
     * throttled layer-wide (§7) so that a flood of bad segments cannot turn into a flood of ACKs.
     */
    static void sendChallengeAck(Connection c) {
        if (!c.layer.challengeAckAllowed()) {
            return;
        }
        c.layer.count(TcpStat.CHALLENGE_ACKS);
        sendAck(c);
    }

    /** {@code <SEQ=SND.NXT><CTL=RST>} (RFC 9293 §3.10.5 ABORT). */
    static void sendReset(Connection c) {
        Segment out = c.layer.outSegment(c);
        out.seq = c.sndNxt;
        out.flags = Segment.RST;
        c.layer.emit(c, out);
    }

    /**
     * The reset that answers {@code in} when no connection may take it (RFC 9293 §3.10.7.1), also used
     * by LISTEN, SYN-SENT and SYN-RECEIVED for a bad ACK. If the ACK bit is on:
     * {@code <SEQ=SEG.ACK><CTL=RST>}; if off: {@code <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>}.
     * {@code c} is the connection for the trace, or null.
     */
    static void resetReply(TcpLayer layer, Connection c, Segment in) {
        Segment out = layer.outReply(in);
        if (in.has(Segment.ACK)) {
            out.seq = in.ack;
            out.flags = Segment.RST;
        } else {
            out.seq = 0;
            out.ack = in.seqEnd();
            out.flags = Segment.RST | Segment.ACK;
        }
        layer.emit(c, out);
    }

    /**
     * Sends what the send buffer and the peer's window allow, then an ACK if one is owed and no data
     * segment carried it. {@code force} (a retransmission timeout) sends exactly one segment from
     * SND.NXT — at least one octet, or the FIN, even into a zero window: the retransmission of the
     * earliest unacknowledged segment (RFC 6298 §5.4), or a window probe. The rest follows as ACKs
     * arrive, so a timeout does not resend a whole window at once (cf. RFC 5681 §3.1, loss window).
     */
    static void output(Connection c, boolean force) {
        switch (c.state) {
            case ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, CLOSING, LAST_ACK -> sendData(c, force);
            case SYN_RECEIVED, FIN_WAIT_2, TIME_WAIT -> {
                // SYN-RECEIVED: data waits for ESTABLISHED (§3.10.2); FIN-WAIT-2, TIME-WAIT: all sent.
            }
            default -> {
                c.ackNow = false;
                return;
            }
        }
        if (c.ackNow) {
            sendAck(c);
        }
        armTimer(c);
    }

    private static void sendData(Connection c, boolean force) {
        SendBuffer buffer = c.sendBuffer;
        while (true) {
            int dataEnd = buffer.endSeq();
            int inFlight = (int) SeqNum.distance(c.sndUna, c.sndNxt);
            int usable = c.sndWnd - inFlight;
            if (force && usable <= 0) {
                usable = 1;
            }
            int unsent = SeqNum.lt(c.sndNxt, dataEnd) ? (int) SeqNum.distance(c.sndNxt, dataEnd) : 0;
            Segment out = c.layer.outSegment(c);
            int length = buffer.fill(out, c.sndNxt, Math.min(unsent, Math.min(usable, c.sndMss)));
            // The FIN goes with the last octet, or alone once every octet is out (RFC 9293 §3.10.4).
            boolean fin = c.finQueued && c.sndNxt + length == dataEnd;
            if (length == 0 && !fin) {
                return;
            }
            out.seq = c.sndNxt;
            out.ack = c.rcvNxt;
            out.flags = Segment.ACK | (fin ? Segment.FIN : 0)
                    | (length > 0 && c.sndNxt + length == dataEnd ? Segment.PSH : 0);
            out.window = advertise(c);
            if (SeqNum.lt(c.sndNxt, c.sndMax)) {
                c.layer.count(TcpStat.RETRANSMITS);
            }
            c.sndNxt += length + (fin ? 1 : 0);
            if (SeqNum.gt(c.sndNxt, c.sndMax)) {
                c.sndMax = c.sndNxt;
            }
            c.ackNow = false;
            c.layer.emit(c, out);
            if (fin || force) {
                return;
            }
        }
    }

    /**
     * RFC 6298 §5.1: run the timer while anything is unacknowledged. It also runs while data waits
     * behind a zero window, so that a lost window update cannot deadlock the connection (the expiry
     * sends a one-octet probe; a proper persist timer, RFC 9293 §3.8.6.1, comes with the reliability work).
     */
    private static void armTimer(Connection c) {
        boolean outstanding = c.sndMax != c.sndUna;
        boolean blocked = c.sndWnd == 0 && SeqNum.lt(c.sndNxt, c.sendBuffer.endSeq());
        if (outstanding || blocked) {
            c.retransmitTimer.ensureRunning();
        }
    }

    /** The window field for a synchronized segment; records the right edge it advertises. */
    private static int advertise(Connection c) {
        int field = Math.min(c.rcvWnd() >> c.rcvWscale, 65535);
        int edge = c.rcvNxt + (field << c.rcvWscale);
        // Never move the advertised right edge left (RFC 9293 §3.8.6.2.1 discourages shrinking).
        if (SeqNum.lt(edge, c.rcvAdvertisedEdge)) {
            field = (int) Math.min(SeqNum.distance(c.rcvNxt, c.rcvAdvertisedEdge) >> c.rcvWscale, 65535);
            edge = c.rcvNxt + (field << c.rcvWscale);
        }
        c.rcvAdvertisedEdge = edge;
        return field;
    }

    /**
     * The window in a SYN or SYN/ACK, which is never scaled (RFC 7323 §2.2). Its right edge is
     * recorded once RCV.NXT is known: here for a SYN/ACK, on the peer's SYN for our SYN
     * ({@link #synWindowEdge}).
     */
    private static int synWindow(Connection c) {
        int field = Math.min(c.receiveBuffer.free(), 65535);
        if (c.state != TcpState.SYN_SENT) {
            c.rcvAdvertisedEdge = c.rcvNxt + field;
        }
        return field;
    }

    /** SYN-SENT learned IRS: the window our SYN offered now has a right edge (RCV.NXT + window). */
    static void synWindowEdge(Connection c) {
        c.rcvAdvertisedEdge = c.rcvNxt + Math.min(c.receiveBuffer.free(), 65535);
    }
}
