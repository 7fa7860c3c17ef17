package dev.tuntcp.tcp;

import dev.tuntcp.socket.ConnectionHandler.CloseReason;
import dev.tuntcp.wire.SeqNum;

/**
 * SEGMENT ARRIVES in the synchronized states, SYN-RECEIVED through TIME-WAIT (RFC 9293 §3.10.7.4),
 * in the RFC's order: sequence number, RST, security, SYN, ACK, URG, text, FIN. The segment is never
 * modified; trimming to the "idealized segment" happens in local variables.
 */
final class SynchronizedArrival {
    private SynchronizedArrival() {
    }

    static void process(Connection c, Segment seg) {
        TcpLayer layer = c.layer;
        int seq = seg.seq;
        boolean syn = seg.has(Segment.SYN);
        boolean rst = seg.has(Segment.RST);
        boolean fin = seg.has(Segment.FIN);
        int dataLength = seg.dataLength;

        if (c.state == TcpState.SYN_RECEIVED && syn && !rst && seq == c.irs) {
            if (!seg.has(Segment.ACK)) {
                // The peer repeated its SYN: our SYN/ACK was lost. The acceptability test below would
                // answer with a bare ACK, which a peer in SYN-SENT drops; send the SYN/ACK again (as
                // Linux does) so the handshake completes without waiting for our timer.
                layer.count(TcpStat.SYN_ACK_REPEATED);
                SegmentSender.sendSynAck(c);
                return;
            }
            if (AckArrival.acknowledgesSent(c, seg.ack)) {
                // Simultaneous open (§3.5 Figure 8, line 6): the peer's SYN,ACK repeats the SYN we
                // already hold and acknowledges ours; take it as the ACK of our SYN.
                seq++;
                syn = false;
            }
        }

        // RFC 7323 §5.3 R1: PAWS (and a segment without the negotiated timestamps) before the
        // acceptability test.
        if (c.timestamps.rejects(seg)) {
            return;
        }

        // First, check the sequence number (the four cases of the acceptability table).
        int segLen = dataLength + (syn ? 1 : 0) + (fin ? 1 : 0);
        int rcvWnd = c.rcvWnd();
        if (!acceptable(seq, segLen, c.rcvNxt, rcvWnd) && !emptyAtRightEdge(seq, segLen, c.rcvNxt, rcvWnd)) {
            if (rcvWnd == 0 && seq == c.rcvNxt && !syn) {
                // "If the RCV.WND is zero, no segments will be acceptable, but special allowance should
                // be made to accept valid ACKs, URGs, and RSTs." The text cannot be taken; a bare FIN
                // can (it needs no buffer space; Linux accepts it too).
                if (dataLength > 0) {
                    layer.drop(c, seg, TcpDrop.ZERO_WINDOW);
                    fin = false;
                }
                dataLength = 0;
                c.ackNow = true;
            } else {
                // "If an incoming segment is not acceptable, an acknowledgment should be sent in reply
                // (unless the RST bit is set, if so drop the segment and return)."
                if (rst) {
                    layer.drop(c, seg, TcpDrop.RST_OUT_OF_WINDOW);
                    return;
                }
                if (c.state == TcpState.TIME_WAIT && fin) {
                    // A retransmitted FIN in TIME-WAIT: acknowledge it "and restart the 2 MSL timeout".
                    c.closeTimer.start(TcpTimerKind.TIME_WAIT, layer.config().timeWaitNanos());
                }
                layer.drop(c, seg, TcpDrop.SEQ_UNACCEPTABLE);
                if (dataLength > 0 && SeqNum.le(seq + dataLength, c.rcvNxt)) {
                    // An old duplicate: report it in a D-SACK block (RFC 2883 §4.1).
                    c.sackBlocks.duplicate(seq, seq + dataLength);
                    layer.count(TcpStat.DUPLICATE_SEGMENTS);
                }
                SegmentSender.sendAck(c);
                return;
            }
        }

        // Second, check the RST bit (RFC 5961 §3.2, adopted by RFC 9293).
        if (rst) {
            if (seq != c.rcvNxt) {
                // In the window but not exactly at RCV.NXT: a challenge ACK, so that a blind attacker
                // cannot reset the connection while the genuine peer answers with the right RST.
                layer.drop(c, seg, TcpDrop.RST_CHALLENGED);
                SegmentSender.sendChallengeAck(c);
                return;
            }
            layer.count(TcpStat.RESETS_RECEIVED);
            switch (c.state) {
                case SYN_RECEIVED ->
                    // Passive OPEN: "return this connection to LISTEN state"; the user need not be
                    // informed. Active OPEN: "the connection was refused".
                    c.terminate(c.listener != null ? null : CloseReason.REFUSED);
                default ->
                    // ESTABLISHED, FIN-WAIT-1/2, CLOSE-WAIT: "connection reset", queues flushed.
                    // CLOSING, LAST-ACK, TIME-WAIT: "enter the CLOSED state, delete the TCB".
                    c.terminate(CloseReason.RESET);
            }
            return;
        }

        // Third, check security (not applicable: no IP security/compartment option is used).

        // Fourth, check the SYN bit.
        if (syn) {
            if (c.state == TcpState.SYN_RECEIVED && c.listener != null) {
                // "If the connection was initiated with a passive OPEN, then return this connection to
                // the LISTEN state and return."
                layer.drop(c, seg, TcpDrop.SYN_IN_SYN_RECEIVED);
                c.terminate(null);
                return;
            }
            // RFC 5961 §4: "irrespective of the sequence number, TCP endpoints MUST send a 'challenge
            // ACK'"; then "drop the unacceptable segment and stop processing further".
            layer.drop(c, seg, TcpDrop.SYN_CHALLENGED);
            SegmentSender.sendChallengeAck(c);
            return;
        }

        // Fifth, check the ACK field: "if the ACK bit is off, drop the segment and return".
        if (!seg.has(Segment.ACK)) {
            layer.drop(c, seg, TcpDrop.NO_ACK);
            return;
        }
        int unaBefore = c.sndUna;
        if (!AckArrival.process(c, seg, seq)) {
            return;
        }
        // RFC 7323 §4.3 TS.Recent and §4.2 RTTM, for a segment that passed the checks so far.
        c.timestamps.onAcceptable(seg, c.sndUna != unaBefore);

        // Sixth, check the URG bit: ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2 track RCV.UP; the data itself
        // is delivered inline (RFC 6093 §4), so there is nothing to signal.
        if (seg.has(Segment.URG) && !c.state.hasReceivedFin()) {
            int up = seq + seg.urgentPointer;
            if (SeqNum.gt(up, c.rcvUp)) {
                c.rcvUp = up;
            }
        }

        // Seventh and eighth: the segment text and the FIN bit.
        textAndFin(c, seg, seq, dataLength, fin);
        // "Send an acknowledgment for the FIN" (eighth) and for the text (seventh): after the
        // application has had its turn, so that its answer can carry the ACK.
        SegmentSender.outputAfterArrival(c);
    }

    /**
     * An empty segment exactly at the right edge, RCV.NXT+RCV.WND: the table rejects it, but it
     * carries nothing that would not fit, and Linux (tcp_sequence) accepts it. Rejecting it starts an
     * ACK war when both sides have a whole window of data in flight and lost: each side's ACK sits at
     * the other's right edge, and each answers the other's ACK with another one.
     */
    static boolean emptyAtRightEdge(int segSeq, int segLen, int rcvNxt, int rcvWnd) {
        return segLen == 0 && rcvWnd > 0 && segSeq == rcvNxt + rcvWnd;
    }

    /**
     * The acceptability test of §3.10.7.4:
     * <pre>
     * Segment Length  Receive Window  Test
     * 0               0               SEG.SEQ = RCV.NXT
     * 0               &gt;0              RCV.NXT =&lt; SEG.SEQ &lt; RCV.NXT+RCV.WND
     * &gt;0              0               not acceptable
     * &gt;0              &gt;0              RCV.NXT =&lt; SEG.SEQ &lt; RCV.NXT+RCV.WND
     *                                 or RCV.NXT =&lt; SEG.SEQ+SEG.LEN-1 &lt; RCV.NXT+RCV.WND
     * </pre>
     */
    static boolean acceptable(int segSeq, int segLen, int rcvNxt, int rcvWnd) {
        if (segLen == 0) {
            return rcvWnd == 0 ? segSeq == rcvNxt : SeqNum.inWindow(segSeq, rcvNxt, rcvWnd);
        }
        if (rcvWnd == 0) {
            return false;
        }
        return SeqNum.inWindow(segSeq, rcvNxt, rcvWnd) || SeqNum.inWindow(segSeq + segLen - 1, rcvNxt, rcvWnd);
    }

    /**
     * Seventh, process the segment text; eighth, check the FIN bit. {@code seq} is the sequence
     * number of the first data octet (after any SYN); {@code dataLength} octets start at
     * {@code seg.dataIndex}.
     */
    static void textAndFin(Connection c, Segment seg, int seq, int dataLength, boolean fin) {
        TcpLayer layer = c.layer;
        boolean heldFin = false; // a FIN held out of order that the text just reached
        if (dataLength > 0) {
            switch (c.state) {
                case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2 -> {
                    if (c.inputClosed) {
                        // RFC 1122 §4.2.2.13: data after the application's close() is lost; say so
                        // with a reset rather than acknowledging it.
                        layer.drop(c, seg, TcpDrop.DATA_AFTER_CLOSE);
                        SegmentSender.sendReset(c);
                        c.terminate(CloseReason.ABORTED);
                        return;
                    }
                    if (!ReceiveText.take(c, seg, seq, dataLength, fin)) {
                        fin = false;
                    }
                    heldFin = !fin && c.outOfOrder.takeFin(c.rcvNxt);
                }
                default -> {
                    // CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT: "This should not occur since a FIN has
                    // been received from the remote side. Ignore the segment text."
                    layer.drop(c, seg, TcpDrop.DATA_AFTER_FIN);
                    return;
                }
            }
        }

        // Eighth, check the FIN bit. Only a FIN in sequence counts: its number must be RCV.NXT.
        if (heldFin) {
            fin = true;
            seq = c.rcvNxt - dataLength; // it now follows in sequence, as if on this segment
        }
        if (!fin) {
            return;
        }
        if (c.finReceived) {
            // CLOSE-WAIT, CLOSING, LAST-ACK: remain. TIME-WAIT: remain and "restart the 2 MSL
            // time-wait timeout". RCV.NXT already covers the peer's one FIN; acknowledge it again.
            if (c.state == TcpState.TIME_WAIT) {
                c.closeTimer.start(TcpTimerKind.TIME_WAIT, layer.config().timeWaitNanos());
            }
            c.ackNow = true;
            return;
        }
        if (seq + dataLength != c.rcvNxt) {
            c.ackNow = true; // a FIN after a gap: acknowledge what we have, hold the FIN
            if (dataLength == 0 && SeqNum.gt(seq, c.rcvNxt)) {
                c.outOfOrder.holdFin(seq);
            }
            return;
        }
        // "Advance RCV.NXT over the FIN, and send an acknowledgment for the FIN."
        c.rcvNxt += 1;
        c.ackNow = true;
        c.finArrived();
        switch (c.state) {
            case SYN_RECEIVED, ESTABLISHED -> c.setState(TcpState.CLOSE_WAIT);
            case FIN_WAIT_1 -> {
                // "If our FIN has been ACKed (perhaps in this segment), then enter TIME-WAIT ...;
                // otherwise, enter the CLOSING state."
                if (c.finAcked()) {
                    c.enterTimeWait();
                } else {
                    c.setState(TcpState.CLOSING);
                }
            }
            case FIN_WAIT_2 -> c.enterTimeWait();
            default -> {
                // CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT: unreachable, the peer's FIN is in already.
            }
        }
    }
}
