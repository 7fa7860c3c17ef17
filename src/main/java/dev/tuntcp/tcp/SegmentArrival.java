package dev.tuntcp.tcp;

import dev.tuntcp.wire.SeqNum;

/**
 * SEGMENT ARRIVES (RFC 9293 §3.10.7): finds who takes a segment and hands it to the processing for
 * that state family — {@link ListenArrival}, {@link SynSentArrival}, {@link SynchronizedArrival} — or
 * answers it as CLOSED (§3.10.7.1) when nothing does.
 */
final class SegmentArrival {
    private SegmentArrival() {
    }

    static void onSegment(TcpLayer layer, Segment seg) {
        Connection c = layer.table().find(seg.destinationAddress, seg.destinationPort, seg.sourceAddress,
                seg.sourcePort);
        if (c != null) {
            layer.traceIn(c, seg, c.state);
            c.keepalive.heard();
            if (c.state == TcpState.TIME_WAIT && reopenFromTimeWait(layer, c, seg)) {
                return;
            }
            if (c.state == TcpState.SYN_SENT) {
                SynSentArrival.process(c, seg);
            } else {
                SynchronizedArrival.process(c, seg);
            }
            c.events.deliver(c);
            return;
        }
        Listener listener = layer.listenerFor(seg.destinationAddress, seg.destinationPort);
        if (listener != null) {
            layer.traceIn(null, seg, TcpState.LISTEN);
            ListenArrival.process(layer, listener, seg, false, 0);
            return;
        }
        layer.traceIn(null, seg, TcpState.CLOSED);
        closed(layer, seg);
    }

    /**
     * RFC 9293 §3.10.7.1, CLOSED: "all data in the incoming segment is discarded. An incoming segment
     * containing a RST is discarded. An incoming segment not containing a RST causes a RST to be sent
     * in response."
     */
    static void closed(TcpLayer layer, Segment seg) {
        if (seg.has(Segment.RST)) {
            layer.drop(null, seg, TcpDrop.CLOSED_RST);
            return;
        }
        layer.drop(null, seg, TcpDrop.CLOSED_PORT);
        SegmentSender.resetReply(layer, null, seg);
    }

    /**
     * A new SYN for a connection in TIME-WAIT. RFC 9293 §3.10.7.4 lets TIME-WAIT accept a new
     * connection; without timestamps RFC 6191 §2 falls back to RFC 1122 §4.2.2.13: accept the SYN if
     * its sequence number is above the end of the old connection (SEG.SEQ > RCV.NXT), and choose an
     * ISS above any sequence number the old incarnation used. Any other SYN gets the synchronized
     * states' challenge ACK. Returns true if the SYN reopened the connection.
     */
    private static boolean reopenFromTimeWait(TcpLayer layer, Connection c, Segment seg) {
        if (!seg.has(Segment.SYN) || (seg.flags & (Segment.ACK | Segment.RST)) != 0
                || !SeqNum.gt(seg.seq, c.rcvNxt)) {
            return false;
        }
        Listener listener = layer.listenerFor(seg.destinationAddress, seg.destinationPort);
        if (listener == null || (listener.backlogFull() && !layer.config().synCookies())) {
            return false; // (with cookies, a full backlog answers the SYN with one, as Linux does)
        }
        // Clear the old incarnation's window by a full 64 KiB so none of its segments fits the new one.
        int issFloor = c.sndMax + 65536;
        c.terminate(null);
        layer.count(TcpStat.TIME_WAIT_REOPENED);
        ListenArrival.process(layer, listener, seg, true, issFloor);
        return true;
    }
}
