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

    /** {@code <SEQ=ISS><CTL=SYN>} with our MSS and offered options (RFC 9293 §3.10.1 active OPEN). */
    static void sendSyn(Connection c) {
        Segment out = c.layer.outSegment(c);
        out.seq = c.iss;
        out.flags = Segment.SYN;
        out.window = synWindow(c);
        OptionNegotiation.offerSyn(c, out);
        c.layer.emit(c, out);
    }

    /** {@code <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>} with our MSS and agreed options (RFC 9293 §3.10.7.2 third). */
    static void sendSynAck(Connection c) {
        Segment out = c.layer.outSegment(c);
        out.seq = c.iss;
        out.ack = c.rcvNxt;
        out.flags = Segment.SYN | Segment.ACK;
        out.window = synWindow(c);
        OptionNegotiation.answerSyn(c, out);
        c.layer.emit(c, out);
    }

    /**
     * {@code <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>}: the acknowledgment of §3.10.7.4 — with SND.MAX as
     * the sequence number, as BSD's tcp_output does for a pure ACK: after a timeout SND.NXT goes back
     * to SND.UNA here while the peer may already hold data up to SND.MAX (out of order, now queued);
     * an ACK below its RCV.NXT would fail its acceptability test and never be processed, and if both
     * sides are in that state, neither ACK is ever taken and both time out.
     */
    static void sendAck(Connection c) {
        Segment out = c.layer.outSegment(c);
        out.seq = c.sndMax;
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
        output(c, force, false);
    }

    /**
     * The output at the end of SEGMENT ARRIVES (RFC 9293 §3.10.7.4): data goes now, but when the
     * application is about to hear of this segment (its text, its FIN, the open), the ACK it owes is
     * held for the application's turn, which follows at once ({@link AppEvents#deliver}): an answer
     * or a close within the callbacks then carries the ACK — one segment instead of two, as Linux's
     * delayed ACK in ping-pong mode does for a FIN followed by close() — and if nothing does, the
     * ACK goes alone right after the callbacks. No ACK waits on a timer for this: only the order
     * changes, within the processing of the one segment.
     */
    static void outputAfterArrival(Connection c) {
        output(c, false, c.events.pending());
    }

    private static void output(Connection c, boolean force, boolean holdAck) {
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
        if (c.ackNow && !holdAck) {
            sendAck(c);
        }
        armTimer(c);
    }

    private static void sendData(Connection c, boolean force) {
        LossRecovery recovery = c.recovery;
        if (force && recovery.timeoutRetransmit()) {
            return; // RFC 8985 §6.3: after a timeout the oldest lost segment, not a go-back
        }
        if (!force && recovery.inSackRecovery()) {
            recovery.sendSackRecovery(); // RFC 6675 §5 with RACK's marks: each segment chosen
            return;
        }
        SendBuffer buffer = c.sendBuffer;
        while (true) {
            // Going back over old data after a timeout: skip what the peer holds (its SACK blocks).
            int holeLimit = recovery.skipSacked(Integer.MAX_VALUE);
            int dataEnd = buffer.endSeq();
            int inFlight = (int) SeqNum.distance(c.sndUna, c.sndNxt);
            // RFC 5681 §3.1: within min(cwnd, rwnd) of SND.UNA.
            int usable = Math.min(c.sndWnd - inFlight, force ? Integer.MAX_VALUE : recovery.allowance(inFlight));
            if (force && usable <= 0) {
                usable = 1;
            }
            usable = Math.min(usable, holeLimit);
            int unsent = SeqNum.lt(c.sndNxt, dataEnd) ? (int) SeqNum.distance(c.sndNxt, dataEnd) : 0;
            // Offload: several MSS at once when the link segments (a timeout still resends one MSS).
            int limit = force ? c.sndMss : SegmentationOffload.sendLimit(c);
            int want = SegmentationOffload.trim(c, Math.min(unsent, Math.min(usable, limit)), unsent);
            if (want > 0 && !force && !SendPolicy.sendNow(c, want, unsent)) {
                want = 0; // Nagle / sender SWS avoidance: wait for an ACK or the persist timer
            }
            int sent = transmit(c, c.sndNxt, want);
            if (sent == 0) {
                return;
            }
            c.sndNxt += sent;
            SendPolicy.sent(c, Math.min(sent, want)); // the data octets (a FIN adds one to sent)
            if (force || !SeqNum.lt(c.sndNxt, dataEnd + (c.finQueued ? 1 : 0))) {
                return; // one segment on a timeout; or everything (and the FIN) is out
            }
        }
    }

    /**
     * Sends one segment from sequence number {@code seq}: up to {@code maxLength} octets (at most one
     * MSS, or a super-segment of several with {@link SegmentationOffload}) of the send buffer, and
     * the FIN when it reaches the end of the queued data (RFC 9293 §3.10.4: the FIN goes with the
     * last octet, or alone once every octet is out). SND.NXT is the caller's; SND.MAX follows. Returns the sequence space used (0: nothing to send).
     */
    static int transmit(Connection c, int seq, int maxLength) {
        SendBuffer buffer = c.sendBuffer;
        int dataEnd = buffer.endSeq();
        Segment out = c.layer.outSegment(c);
        int available = SeqNum.lt(seq, dataEnd) ? (int) SeqNum.distance(seq, dataEnd) : 0;
        int requested = Math.min(available, Math.min(maxLength, SegmentationOffload.sendLimit(c)));
        int length = buffer.fill(out, seq, requested);
        int whole = SegmentationOffload.wholeSegments(c, length, requested);
        if (whole != length) {
            length = buffer.fill(out, seq, whole);
        }
        SegmentationOffload.mark(c, out, length);
        boolean fin = c.finQueued && seq + length == dataEnd;
        if (length == 0 && !fin) {
            return 0;
        }
        out.seq = seq;
        out.ack = c.rcvNxt;
        out.flags = Segment.ACK | (fin ? Segment.FIN : 0) | (length > 0 && seq + length == dataEnd ? Segment.PSH : 0);
        out.window = advertise(c);
        int end = seq + length + (fin ? 1 : 0);
        boolean retransmission = SeqNum.lt(seq, c.sndMax);
        if (retransmission) {
            c.layer.count(TcpStat.RETRANSMITS);
        }
        c.recovery.onSend(seq, end, retransmission, (int) SeqNum.distance(c.sndUna, seq));
        if (SeqNum.gt(end, c.sndMax)) {
            c.sndMax = end;
        }
        c.ackNow = false;
        c.layer.emit(c, out);
        return end - seq;
    }

    /**
     * RFC 6298 §5.1: run the retransmission timer while anything is unacknowledged — except behind a
     * zero window, where the persist timer probes instead (RFC 9293 §3.8.6.1) so that a peer which
     * keeps its window shut but answers is never timed out. The persist timer also runs when data is
     * held back by {@link SendPolicy} with nothing in flight (the SWS override timeout).
     */
    private static void armTimer(Connection c) {
        if (PersistTimer.needed(c)) {
            c.retransmitTimer.cancel();
            c.persistTimer.ensureRunning();
            return;
        }
        c.persistTimer.stop();
        if (c.sndMax != c.sndUna) {
            c.retransmitTimer.ensureRunning();
        }
    }

    /**
     * A zero-window probe (RFC 9293 §3.8.6.1: "one octet of new data"): the octet at SND.UNA, sent
     * whatever the window. A receiver with room takes it and its ACK reopens the flow; one without
     * drops it and answers with an ACK that carries its current window. Only for
     * {@link PersistTimer}, which has checked that an octet is held at SND.UNA.
     */
    static void sendWindowProbe(Connection c) {
        c.sndNxt = c.sndUna;
        Segment out = c.layer.outSegment(c);
        int length = c.sendBuffer.fill(out, c.sndNxt, 1);
        out.seq = c.sndNxt;
        out.ack = c.rcvNxt;
        out.flags = Segment.ACK | (length > 0 && c.sndNxt + length == c.sendBuffer.endSeq() ? Segment.PSH : 0);
        out.window = advertise(c);
        c.sndNxt += length;
        if (SeqNum.gt(c.sndNxt, c.sndMax)) {
            c.sndMax = c.sndNxt;
        }
        c.ackNow = false;
        c.layer.emit(c, out);
    }

    /**
     * A keep-alive probe {@code <SEQ=SND.NXT-1><ACK=RCV.NXT><CTL=ACK>} with no data (RFC 1122
     * §4.2.3.6 allows zero or one garbage octet): the sequence number is one the peer has already
     * acknowledged, so it answers with an ACK.
     */
    static void sendKeepalive(Connection c) {
        Segment out = c.layer.outSegment(c);
        out.seq = c.sndNxt - 1;
        out.ack = c.rcvNxt;
        out.flags = Segment.ACK;
        out.window = advertise(c);
        c.layer.emit(c, out);
    }

    /** The window field for a synchronized segment; records the right edge it advertises. */
    private static int advertise(Connection c) {
        return ReceiveWindow.advertise(c);
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
