package dev.tuntcp.tcp;

import dev.tuntcp.stack.Timer;

/**
 * Delayed acknowledgment of in-order data (RFC 9293 §3.8.6.3, RFC 1122 §4.2.3.2, RFC 5681 §4.2):
 * an ACK may wait, so that it can ride on data or cover a second segment, but "an ACK SHOULD be
 * generated for at least every second full-sized segment" and the delay "MUST be less than 0.5
 * seconds" ({@link TcpConfig#delayedAckNanos()}, 40 ms by default). Out-of-order and gap-filling
 * data, FINs and window updates are acknowledged at once by their callers (RFC 5681 §4.2) — "at
 * once" meaning right after the application's callbacks for the segment, so that an answer or a
 * close written there carries the ACK (SegmentSender.outputAfterArrival). An ACK owed for data
 * rides on whatever the application sends within the delay, its answer or its FIN.
 * Any segment that carries an ACK ends the wait ({@link #ackSent()}).
 *
 * <p>Inside an input batch ({@link TcpLayer#beginInputBatch}: every packet one poll of the link read)
 * the "every second full-sized segment" ACK waits for the end of the batch and then covers all of
 * it — one cumulative ACK per connection per batch, which is what Linux's receiver sends for a GRO
 * aggregate and what RFC 5681 §4.2 leaves room for ("SHOULD", and stretch ACKs are its known
 * consequence; RFC 9293 §3.8.6.3 says the same). Bounded: once {@link #batchAckLimit()} octets are
 * unacknowledged the ACK goes at once, as GRO aggregates stop at 64 KiB, so a sender's ACK clock
 * never waits on a long batch. A batch that leaves one full-sized segment unacknowledged ACKs it at
 * its end too, rather than after the delay (see {@link #dataReceived}); short segments alone still
 * wait, so that the ACK of a request rides on its answer. Out-of-order and gap-filling data,
 * duplicates and FINs are still acknowledged at once by their callers.
 */
final class DelayedAck extends Timer {
    private final Connection c;
    /** Octets received and not yet acknowledged. */
    private int unacknowledged;
    /** Our estimate of the peer's full-sized segment: the largest seen (Linux's rcv_mss). */
    private int rcvMss = TcpLayer.DEFAULT_SND_MSS;
    /** The largest stretch of a batch ACK: a GRO aggregate's 64 KiB. */
    static final int MAX_BATCH_ACK = 65535;

    DelayedAck(Connection c) {
        this.c = c;
    }

    /** {@code length} octets of in-order data were taken: acknowledge now or start the delay. */
    void dataReceived(int length) {
        if (length > rcvMss) {
            rcvMss = Math.min(length, c.layer.config().mss());
        }
        unacknowledged += length;
        long delay = c.layer.config().delayedAckNanos();
        // More than one full-sized segment's worth unacknowledged: ACK now (Linux's test in
        // __tcp_ack_snd_check, rcv_nxt - rcv_wup > rcv_mss). It covers "every second full-sized
        // segment" and also a full segment followed by a short one, the end of a sender's burst:
        // holding that ACK for the delay would let the sender's tail loss probe (RFC 8985 §7.2, PTO
        // about 2·SRTT when two segments are out) fire first and retransmit data that arrived.
        if (delay == 0) {
            c.ackNow = true;
        } else if (unacknowledged > rcvMss) {
            if (unacknowledged >= batchAckLimit() || !c.layer.deferAckToBatchEnd(c)) {
                c.ackNow = true;
            }
        } else if (unacknowledged == rcvMss && c.layer.deferAckToBatchEnd(c)) {
            // One full-sized segment in a batch: ACK it when the batch ends, not after the delay.
            // The queue was empty then, so the sender's burst has ended here; a sender with more
            // than one segment out probes after 2·SRTT, not after our 40 ms (RFC 8985 §7.2 adds
            // WCDelAckT only for a single segment in flight), and would retransmit what arrived.
        } else if (!isScheduled()) {
            c.layer.timers().scheduleIn(this, delay);
        }
    }

    /**
     * How many unacknowledged octets a batch may gather before its ACK goes at once: 64 KiB, and at
     * most a quarter of the receive buffer, so that a small window still sees ACKs during a batch.
     */
    private int batchAckLimit() {
        return Math.min(MAX_BATCH_ACK, c.receiveBuffer.capacity() / 4);
    }

    /**
     * The end of an input batch: the ACK deferred by {@link #dataReceived} goes now, unless a segment
     * sent meanwhile (data, a duplicate ACK) carried it already.
     */
    void batchEnded() {
        if (unacknowledged >= rcvMss) {
            c.ackNow = true;
        }
    }

    /** A segment carrying our ACK went out: nothing is owed any more. */
    void ackSent() {
        unacknowledged = 0;
        if (isScheduled()) {
            c.layer.timers().cancel(this);
        }
    }

    void cancel() {
        c.layer.timers().cancel(this);
    }

    @Override
    protected void onExpire() {
        switch (c.state) {
            case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK -> {
                c.layer.count(TcpStat.DELAYED_ACKS);
                SegmentSender.sendAck(c);
                c.events.deliver(c);
            }
            default -> {
            }
        }
    }
}
