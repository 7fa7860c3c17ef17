package dev.tuntcp.tcp;

import dev.tuntcp.socket.ConnectionHandler.CloseReason;
import dev.tuntcp.wire.SeqNum;

/** The fifth step of SEGMENT ARRIVES in the synchronized states: check the ACK field (RFC 9293 §3.10.7.4). */
final class AckArrival {
    private AckArrival() {
    }

    /** SND.UNA < SEG.ACK =< SND.NXT, where SND.NXT is the highest ever sent (SND.MAX). */
    static boolean acknowledgesSent(Connection c, int ack) {
        return SeqNum.lt(c.sndUna, ack) && SeqNum.le(ack, c.sndMax);
    }

    /**
     * Processes the ACK of {@code seg} (whose ACK bit is set); {@code seq} is its sequence number as
     * the earlier steps left it. Returns false when processing must stop here.
     */
    static boolean process(Connection c, Segment seg, int seq) {
        TcpLayer layer = c.layer;
        int ack = seg.ack;

        if (c.state == TcpState.SYN_RECEIVED) {
            if (!acknowledgesSent(c, ack)) {
                // "If the segment acknowledgment is not acceptable, form a reset segment
                // <SEQ=SEG.ACK><CTL=RST> and send it."
                layer.drop(c, seg, TcpDrop.SYN_RECEIVED_BAD_ACK);
                SegmentSender.resetReply(layer, c, seg);
                return false;
            }
            // "If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED state and continue processing
            // with the variables below set to: SND.WND <- SEG.WND, SND.WL1 <- SEG.SEQ, SND.WL2 <- SEG.ACK."
            updateWindow(c, seg.window << c.sndWscale, seq, ack);
            if (!c.enterEstablished()) {
                return false;
            }
        }

        // ESTABLISHED processing, which every later state shares.
        if (SeqNum.gt(ack, c.sndMax)) {
            // "If the ACK acks something not yet sent (SEG.ACK > SND.NXT), then send an ACK, drop the
            // segment, and return."
            layer.drop(c, seg, TcpDrop.ACK_UNSENT);
            SegmentSender.sendChallengeAck(c); // RFC 5961 §5.2: an ACK outside the acceptable range
            return false;
        }
        if (SeqNum.lt(ack, c.sndUna - c.maxSndWnd)) {
            // RFC 5961 §5: acceptable only if (SND.UNA - MAX.SND.WND) =< SEG.ACK; otherwise discard the
            // segment and send an ACK back.
            layer.drop(c, seg, TcpDrop.ACK_TOO_OLD);
            SegmentSender.sendChallengeAck(c);
            return false;
        }
        c.persistTimer.peerAnswered(); // an acceptable ACK: the peer is alive (RFC 1122 §4.2.2.17)
        int oldUna = c.sndUna;
        // RFC 5681 §2 "duplicate acknowledgment": data outstanding, no text, neither SYN nor FIN,
        // SEG.ACK = SND.UNA, and the same window as before.
        boolean duplicate = ack == oldUna && c.sndMax != oldUna && seg.dataLength == 0
                && !seg.has(Segment.SYN) && !seg.has(Segment.FIN) && (seg.window << c.sndWscale) == c.sndWnd;
        if (SeqNum.lt(c.sndUna, ack)) {
            // "If SND.UNA < SEG.ACK =< SND.NXT, then set SND.UNA <- SEG.ACK. Any segments on the
            // retransmission queue that are thereby entirely acknowledged are removed."
            c.sndUna = ack;
            if (SeqNum.lt(c.sndNxt, ack)) {
                c.sndNxt = ack; // after a timeout moved SND.NXT back: no need to resend what is acked
            }
            c.sendBuffer.acknowledge(ack);
            c.retransmitTimer.onProgress();
            if (c.sndUna == c.sndMax) {
                c.retransmitTimer.cancel();   // RFC 6298 §5.2
            } else {
                c.retransmitTimer.restart();  // RFC 6298 §5.3
            }
            c.events.roomFreed();
        }
        // (SEG.ACK < SND.UNA: a duplicate; it can be ignored.)

        // "If SND.UNA =< SEG.ACK =< SND.NXT, the send window should be updated. If (SND.WL1 < SEG.SEQ
        // or (SND.WL1 = SEG.SEQ and SND.WL2 =< SEG.ACK)), set SND.WND <- SEG.WND, SND.WL1 <- SEG.SEQ,
        // and set SND.WL2 <- SEG.ACK." (This guards against old segments reopening the window.)
        if (SeqNum.le(c.sndUna, ack)
                && (SeqNum.lt(c.sndWl1, seq) || (c.sndWl1 == seq && SeqNum.le(c.sndWl2, ack)))) {
            updateWindow(c, seg.window << c.sndWscale, seq, ack);
        }
        // Congestion window, duplicate ACKs, fast retransmit and recovery, SACK (RFC 5681, 6582, 6675).
        c.recovery.onAck(seg, oldUna, duplicate);

        switch (c.state) {
            case FIN_WAIT_1 -> {
                // "In addition to the processing for the ESTABLISHED state, if the FIN segment is now
                // acknowledged, then enter FIN-WAIT-2 and continue processing in that state."
                if (c.finAcked()) {
                    c.enterFinWait2();
                }
            }
            case CLOSING -> {
                // "If the ACK acknowledges our FIN, then enter the TIME-WAIT state; otherwise, ignore
                // the segment." Its acknowledgment of earlier data has been taken above (our data may
                // still be in flight when the FINs cross), so the window it opened is used at once;
                // what is ignored is any text or FIN it carries.
                if (c.finAcked()) {
                    c.enterTimeWait();
                } else if (seg.dataLength > 0 || seg.has(Segment.FIN)) {
                    layer.drop(c, seg, TcpDrop.CLOSING_NOT_FIN_ACK);
                    SegmentSender.output(c, false);
                    return false;
                }
            }
            case LAST_ACK -> {
                // "If our FIN is now acknowledged, delete the TCB, enter the CLOSED state, and return."
                if (c.finAcked()) {
                    c.terminate(CloseReason.CLOSED);
                    return false;
                }
            }
            default -> {
                // FIN-WAIT-2: the user's CLOSE is complete once the queue is empty (nothing to signal
                // here). TIME-WAIT: only a retransmitted FIN can arrive; the FIN step handles it.
            }
        }
        return true;
    }

    private static void updateWindow(Connection c, int window, int seq, int ack) {
        c.sndWnd = window;
        c.sndWl1 = seq;
        c.sndWl2 = ack;
        if (window > c.maxSndWnd) {
            c.maxSndWnd = window;
        }
    }
}
