package dev.tuntcp.tcp;

import dev.tuntcp.wire.SeqNum;

/** SEGMENT ARRIVES in the LISTEN state (RFC 9293 §3.10.7.2). */
final class ListenArrival {
    private ListenArrival() {
    }

    /**
     * Processes {@code seg} for {@code listener}. With {@code hasIssFloor} the new connection's ISS is
     * made larger than {@code issFloor} (a SYN that reopens a TIME-WAIT connection, RFC 1122 §4.2.2.13).
     */
    static void process(TcpLayer layer, Listener listener, Segment seg, boolean hasIssFloor, int issFloor) {
        // First, check for an RST: "An incoming RST should be ignored. Return."
        if (seg.has(Segment.RST)) {
            layer.drop(null, seg, TcpDrop.LISTEN_RST);
            return;
        }
        // Second, check for an ACK: "Any acknowledgment is bad if it arrives on a connection still in
        // the LISTEN state": <SEQ=SEG.ACK><CTL=RST>.
        if (seg.has(Segment.ACK)) {
            if (!seg.has(Segment.SYN) && SynCookieArrival.tryComplete(layer, listener, seg)) {
                return;
            }
            layer.drop(null, seg, TcpDrop.LISTEN_ACK);
            SegmentSender.resetReply(layer, null, seg);
            return;
        }
        // Third, check for a SYN (the security/compartment check does not apply: no IP security option).
        if (seg.has(Segment.SYN)) {
            if (listener.backlogFull()) {
                // RFC 4987 §3.6: past the half-open bound, answer statelessly with a SYN cookie. (A
                // SYN that reopens TIME-WAIT gets one too, its ISS floor unkept, as in Linux.)
                layer.count(TcpStat.LISTEN_OVERFLOWS);
                if (layer.config().synCookies()) {
                    SynCookieArrival.sendCookie(layer, listener, seg);
                } else {
                    layer.drop(null, seg, TcpDrop.LISTEN_BACKLOG_FULL);
                }
                return;
            }
            Connection c = new Connection(layer, seg.destinationAddress, seg.destinationPort,
                    seg.sourceAddress, seg.sourcePort, listener);
            // "Set RCV.NXT to SEG.SEQ+1, IRS is set to SEG.SEQ ... ISS should be selected."
            c.irs = seg.seq;
            c.rcvNxt = seg.seq + 1;
            int iss = layer.isn(c);
            if (hasIssFloor && !SeqNum.gt(iss, issFloor)) {
                iss = issFloor + 1;
            }
            c.initSendSequence(iss);
            c.setPeerMss(seg.mss);
            OptionNegotiation.peerSyn(c, seg);
            // The window of a SYN is never scaled (RFC 7323 §2.2). SND.WL1/WL2 are set again when the
            // handshake's ACK arrives (§3.10.7.4 fifth, SYN-RECEIVED).
            c.sndWnd = seg.window;
            c.maxSndWnd = seg.window;
            c.sndWl1 = seg.seq;
            c.sndWl2 = iss;
            if (seg.dataLength > 0) {
                // "Any other control or text should be queued for processing later": this stack does
                // not queue it and does not acknowledge it, so the peer sends it again later.
                layer.drop(c, seg, TcpDrop.SYN_DATA_IGNORED);
            }
            if (!layer.admit(c, seg)) {
                return; // a resource bound of TcpConfig (counted); the peer may retry later
            }
            listener.halfOpenAdded();
            layer.count(TcpStat.PASSIVE_OPENS);
            c.state = TcpState.LISTEN;
            c.setState(TcpState.SYN_RECEIVED);
            // "<SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> ... SND.NXT is set to ISS+1 and SND.UNA to ISS."
            SegmentSender.sendSynAck(c);
            c.retransmitTimer.ensureRunning();
            return;
        }
        // Fourth, other data or control: "Drop the segment and return."
        layer.drop(null, seg, TcpDrop.LISTEN_NO_SYN);
    }
}
