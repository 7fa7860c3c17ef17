package dev.tuntcp.tcp;

import dev.tuntcp.wire.SeqNum;
import io.netty.buffer.ByteBuf;

/**
 * Data the application has written and the peer has not yet acknowledged, in sequence-number terms:
 * the first byte held has sequence number {@link #headSeq()}. Transmission reads ranges by sequence
 * number without removing them; acknowledgment removes them (RFC 9293 §3.8.1: data stays queued until
 * acknowledged so that it can be retransmitted).
 */
final class SendBuffer {
    private final ByteRing ring;
    private int headSeq;

    SendBuffer(int capacity) {
        this.ring = new ByteRing(capacity);
    }

    /** Sets the sequence number of the first data byte (ISS + 1, after the SYN). */
    void start(int firstDataSeq) {
        this.headSeq = firstDataSeq;
    }

    /** The sequence number of the oldest unacknowledged byte held. */
    int headSeq() {
        return headSeq;
    }

    /** The sequence number just after the last byte held. */
    int endSeq() {
        return headSeq + ring.size();
    }

    int size() {
        return ring.size();
    }

    int free() {
        return ring.free();
    }

    int capacity() {
        return ring.capacity();
    }

    /**
     * Copies as much of {@code data}'s readable bytes as fit, advancing its reader index; returns the
     * count. The caller keeps ownership of {@code data}.
     */
    int write(ByteBuf data) {
        int n = ring.write(data, data.readerIndex(), data.readableBytes());
        data.skipBytes(n);
        return n;
    }

    /** Discards every byte before {@code ackSeq} (RFC 9293 §3.10.7.4 fifth: acknowledged data). */
    void acknowledge(int ackSeq) {
        if (SeqNum.gt(ackSeq, headSeq)) {
            int n = (int) Math.min(SeqNum.distance(headSeq, ackSeq), ring.size());
            ring.discard(n);
            headSeq += n;
        }
    }

    /**
     * Points {@code out}'s data at up to {@code maxLength} bytes starting at sequence number
     * {@code seq}, stopping where the ring wraps; returns the length (0 if nothing is held there).
     * The data is borrowed from this buffer for the duration of the send.
     */
    int fill(Segment out, int seq, int maxLength) {
        long offset = SeqNum.distance(headSeq, seq);
        if (maxLength <= 0 || offset >= ring.size()) {
            out.data = null;
            out.dataIndex = 0;
            out.dataLength = 0;
            return 0;
        }
        int n = Math.min(maxLength, ring.contiguousAt((int) offset));
        out.data = ring.view();
        out.dataIndex = ring.indexOf((int) offset);
        out.dataLength = n;
        return n;
    }

    /** Frees the memory once nothing is left to send (e.g. in TIME-WAIT). */
    void release() {
        ring.release();
    }
}
