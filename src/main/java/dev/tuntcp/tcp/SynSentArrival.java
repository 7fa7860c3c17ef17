package dev.tuntcp.tcp;

import dev.tuntcp.socket.ConnectionHandler.CloseReason;
import dev.tuntcp.wire.SeqNum;

/** SEGMENT ARRIVES in the SYN-SENT state (RFC 9293 §3.10.7.3). */
final class SynSentArrival {
    private SynSentArrival() {
    }

    static void process(Connection c, Segment seg) {
        TcpLayer layer = c.layer;
        boolean ack = seg.has(Segment.ACK);
        boolean rst = seg.has(Segment.RST);

        // First, check the ACK bit: "If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset (unless the
        // RST bit is set, if so drop the segment and return) <SEQ=SEG.ACK><CTL=RST>". This is what
        // turns away an old duplicate SYN/ACK: the reason for the three-way handshake (§3.5).
        if (ack && (SeqNum.le(seg.ack, c.iss) || SeqNum.gt(seg.ack, c.sndMax))) {
            layer.drop(c, seg, TcpDrop.SYN_SENT_BAD_ACK);
            if (!rst) {
                SegmentSender.resetReply(layer, c, seg);
            }
            return;
        }
        // (Otherwise, if present, SND.UNA < SEG.ACK =< SND.NXT: the ACK is acceptable.)

        // Second, check the RST bit: "If the ACK was acceptable, then signal to the user 'error:
        // connection reset', drop the segment, enter CLOSED state, delete TCB, and return. Otherwise
        // (no ACK), drop the segment and return." (RFC 5961's exact-sequence check needs RCV.NXT,
        // which is not known yet; the acceptable ACK is the proof of a genuine answer.)
        if (rst) {
            if (ack) {
                layer.count(TcpStat.RESETS_RECEIVED);
                c.terminate(CloseReason.REFUSED);
            } else {
                layer.drop(c, seg, TcpDrop.SYN_SENT_RST_NO_ACK);
            }
            return;
        }

        // Third, check the security (not applicable: no IP security option).

        // Fourth, check the SYN bit.
        if (seg.has(Segment.SYN)) {
            // "RCV.NXT is set to SEG.SEQ+1, IRS is set to SEG.SEQ."
            c.irs = seg.seq;
            c.rcvNxt = seg.seq + 1;
            SegmentSender.synWindowEdge(c);
            c.setPeerMss(seg.mss);
            OptionNegotiation.peerSyn(c, seg);
            if (ack) {
                // "SND.UNA should be advanced to equal SEG.ACK (if there is an ACK), and any segments
                // on the retransmission queue that are thereby acknowledged should be removed."
                c.sndUna = seg.ack;
                c.retransmitTimer.onProgress();
                c.retransmitTimer.cancel();
            }
            // The window of a SYN is never scaled (RFC 7323 §2.2).
            c.sndWnd = seg.window;
            c.maxSndWnd = seg.window;
            c.sndWl1 = seg.seq;
            c.sndWl2 = ack ? seg.ack : c.iss;
            if (SeqNum.gt(c.sndUna, c.iss)) {
                // "If SND.UNA > ISS (our SYN has been ACKed), change the connection state to
                // ESTABLISHED, form an ACK segment <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and send it.
                // Data or controls that were queued for transmission MAY be included."
                if (!c.enterEstablished()) {
                    return;
                }
                c.ackNow = true;
                // "If there are other controls or text in the segment, then continue processing at the
                // sixth step below where the URG bit is checked."
                if (seg.dataLength > 0 || seg.has(Segment.FIN)) {
                    SynchronizedArrival.textAndFin(c, seg, seg.seq + 1, seg.dataLength, seg.has(Segment.FIN));
                }
                SegmentSender.output(c, false);
                return;
            }
            // "Otherwise, enter SYN-RECEIVED, form a SYN,ACK segment <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>
            // and send it." (Simultaneous open, §3.5 Figure 8.) Text on the SYN is not queued; the
            // peer sends it again once synchronized.
            if (seg.dataLength > 0) {
                layer.drop(c, seg, TcpDrop.SYN_DATA_IGNORED);
            }
            c.setState(TcpState.SYN_RECEIVED);
            SegmentSender.sendSynAck(c);
            c.retransmitTimer.ensureRunning();
            return;
        }

        // Fifth, if neither of the SYN or RST bits is set, then drop the segment and return.
        layer.drop(c, seg, TcpDrop.SYN_SENT_NO_SYN);
    }
}
