package dev.tuntcp.tcp;

import dev.tuntcp.wire.SeqNum;

/**
 * Receive-buffer autotuning, after Linux's dynamic right-sizing (tcp_rcv_rtt_measure and
 * tcp_rcv_space_adjust; Fisk and Feng, "Dynamic Right-Sizing in TCP"): the window a receiver offers
 * should cover what the sender can put in flight in one round trip, or the window, not the network,
 * limits the transfer. The buffer starts at {@link TcpConfig#receiveBufferSize()}; once per measured
 * round trip the bytes the application read in it are counted, and the buffer grows to twice that
 * (plus 16 segments of slack, as Linux) if that is larger, up to {@link TcpConfig#receiveBufferMax()}
 * and only while the layer's {@link TcpConfig#receiveMemoryLimit()} allows ({@link ResourceLimits}).
 * It never shrinks, so the advertised right edge never moves left (RFC 9293 §3.8.6.2.1). A reader
 * that falls behind reads less per round trip and stops the growth: the window grows with the reader.
 *
 * <p>The receiver's round-trip time is measured without the sender's help (it sends only ACKs):
 * from the moment a window's worth of sequence space is offered until RCV.NXT reaches its right edge
 * one round trip passes when the sender is window-limited, which is when the measurement matters
 * (longer otherwise, which only slows the growth). The smallest recent sample is kept.
 */
final class ReceiveAutotune {
    private final Connection c;
    private boolean measuring;
    private int measureSeq;
    private long measureStart;
    /** The receiver's RTT estimate in nanoseconds; 0 until measured. */
    private long rttNanos;
    private long readTotal;
    private long readMark;
    private long intervalStart;

    ReceiveAutotune(Connection c) {
        this.c = c;
    }

    private boolean enabled() {
        return c.layer.config().receiveBufferMax() > c.receiveBuffer.capacity();
    }

    /** RCV.NXT advanced over in-order data (seventh step). */
    void dataReceived() {
        if (!enabled()) {
            return;
        }
        long now = c.layer.timers().clock().nanos();
        if (!measuring) {
            measuring = true;
            measureSeq = c.rcvNxt + Math.max(c.rcvWnd(), 1);
            measureStart = now;
        } else if (SeqNum.ge(c.rcvNxt, measureSeq)) {
            long sample = Math.max(now - measureStart, 1);
            // Keep the minimum, drifting up slowly when the path gets longer (Linux: win_dep).
            rttNanos = rttNanos == 0 || sample < rttNanos ? sample : rttNanos + (sample - rttNanos) / 8;
            measuring = false;
        }
    }

    /** The application read {@code n} bytes while the peer may still send. */
    void applicationRead(int n) {
        if (!enabled()) {
            return;
        }
        readTotal += n;
        long now = c.layer.timers().clock().nanos();
        if (rttNanos == 0 || now - intervalStart < rttNanos) {
            return;
        }
        long copied = readTotal - readMark;
        readMark = readTotal;
        intervalStart = now;
        int capacity = c.receiveBuffer.capacity();
        long target = 2 * copied + 16L * c.layer.config().mss();
        if (target <= capacity) {
            return;
        }
        int max = c.layer.config().receiveBufferMax();
        int grown = (int) Math.min(max, (target + 4095) & ~4095L);
        if (grown > capacity && c.layer.limits().growReceive(grown - capacity)) {
            c.receiveBuffer.grow(grown);
            c.layer.count(TcpStat.RECEIVE_BUFFER_GROWN);
        }
    }

    /** The receiver's round-trip estimate (tests); 0 until measured. */
    long rttNanos() {
        return rttNanos;
    }
}
