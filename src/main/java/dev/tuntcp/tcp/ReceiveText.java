package dev.tuntcp.tcp;

import dev.tuntcp.wire.SeqNum;

/**
 * The seventh step of SEGMENT ARRIVES for ESTABLISHED, FIN-WAIT-1 and FIN-WAIT-2 (RFC 9293
 * §3.10.7.4): "Once in the ESTABLISHED state, it is possible to deliver segment text to user
 * RECEIVE buffers." In-order text goes to the {@link ReceiveBuffer} and takes the held data after it
 * out of the {@link OutOfOrderQueue}; text beyond RCV.NXT is held there and reported in SACK blocks.
 * What is acknowledged when: {@link DelayedAck} for plain in-order data; at once for out-of-order
 * data, data that fills a gap, and duplicates (RFC 5681 §4.2, RFC 9293 §3.8.6.3).
 */
final class ReceiveText {
    private ReceiveText() {
    }

    /**
     * Takes the text {@code [seq, seq + dataLength)} of {@code seg} (borrowed: copied here, or lent to
     * a payload handler until the delivery that follows this segment, {@link AppEvents#payload}).
     * Returns true when the segment's FIN, if {@code fin}, now follows in sequence.
     */
    static boolean take(Connection c, Segment seg, int seq, int dataLength, boolean fin) {
        TcpLayer layer = c.layer;
        if (SeqNum.gt(seq, c.rcvNxt)) {
            holdOutOfOrder(c, seg, seq, dataLength, fin);
            return false;
        }
        // The idealized segment begins at RCV.NXT: skip what was received before.
        int skip = (int) Math.min(SeqNum.distance(seq, c.rcvNxt), dataLength);
        if (skip > 0) {
            // Part of it arrived before: report that part (RFC 2883 §4.1, a partly duplicate segment).
            c.sackBlocks.duplicate(seq, seq + skip);
            layer.count(TcpStat.DUPLICATE_SEGMENTS);
        }
        int fresh = dataLength - skip;
        int room = c.rcvWnd();
        if (fresh > room) {
            layer.drop(c, seg, TcpDrop.BEYOND_WINDOW);
            fresh = room;
            fin = false; // the FIN lies beyond the window too
        }
        boolean fillsGap = !c.outOfOrder.isEmpty();
        if (fresh > 0 && !fillsGap && c.receiveBuffer.size() == 0 && c.events.takesPayload()) {
            // Nothing waits before it: lend the text to the payload handler instead of copying it
            // (PayloadHandler; what it leaves unread is copied in after the delivery).
            c.events.payload(seg.data, seg.dataIndex + skip, fresh);
            c.rcvNxt += fresh;
            c.autotune.dataReceived();
        } else if (fresh > 0) {
            c.rcvNxt += c.receiveBuffer.append(seg.data, seg.dataIndex + skip, fresh);
            if (fillsGap) {
                c.rcvNxt = c.outOfOrder.advance(c.receiveBuffer, c.rcvNxt);
                c.sackBlocks.acknowledged(c.rcvNxt);
            }
            c.autotune.dataReceived();
            c.events.readable();
        }
        if (fillsGap || skip > 0 || fresh == 0) {
            // RFC 5681 §4.2: "an immediate ACK SHOULD be generated when a segment arrives that fills
            // in all or part of a gap"; a duplicate is answered at once too. A FIN on the segment
            // decides in the eighth step.
            c.ackNow = true;
        } else {
            c.delayedAck.dataReceived(fresh);
        }
        return fin;
    }

    /**
     * Text beyond RCV.NXT (RFC 9293 §3.10.7.4: "segments with higher beginning sequence numbers
     * that are not yet acceptable may be held"): keep the part inside the window, report it in SACK
     * blocks, acknowledge at once (RFC 5681 §4.2: "a TCP receiver SHOULD send an immediate duplicate
     * ACK when an out-of-order segment arrives").
     */
    private static void holdOutOfOrder(Connection c, Segment seg, int seq, int dataLength, boolean fin) {
        TcpLayer layer = c.layer;
        c.ackNow = true;
        long offset = SeqNum.distance(c.rcvNxt, seq);
        int inWindow = (int) Math.max(0, Math.min(dataLength, c.rcvWnd() - offset));
        if (inWindow < dataLength) {
            layer.drop(c, seg, TcpDrop.BEYOND_WINDOW);
            fin = false;
        }
        if (inWindow == 0) {
            return;
        }
        OutOfOrderQueue queue = c.outOfOrder;
        OutOfOrderQueue.Refusal refusal = queue.insert(c.receiveBuffer, seg.data, seg.dataIndex, c.rcvNxt, seq, inWindow);
        if (queue.duplicateLeft() != queue.duplicateRight()) {
            c.sackBlocks.duplicate(queue.duplicateLeft(), queue.duplicateRight());
            layer.count(TcpStat.DUPLICATE_SEGMENTS);
        }
        switch (refusal) {
            case NONE -> {
                if (queue.duplicateRight() - queue.duplicateLeft() < inWindow) {
                    layer.count(TcpStat.OUT_OF_ORDER_QUEUED); // some octets were new
                }
            }
            // A bound is reached (issue 8 item 4): this segment is not held, the peer sends it again;
            // what is held stays, and so does every other connection's.
            case STACK_LIMIT -> {
                layer.drop(c, seg, TcpDrop.OUT_OF_ORDER_MEMORY_LIMIT);
                return;
            }
            case CONNECTION_LIMIT, TOO_MANY_RUNS -> {
                layer.drop(c, seg, TcpDrop.OUT_OF_ORDER);
                return;
            }
        }
        // RFC 2018 §4: "The first SACK block ... MUST specify the contiguous block of data containing
        // the segment which triggered this ACK."
        c.sackBlocks.received(queue.runLeft(seq), queue.runRight(seq));
        if (fin) {
            queue.holdFin(seq + dataLength);
        }
    }
}
