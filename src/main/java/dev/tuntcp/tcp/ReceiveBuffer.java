package dev.tuntcp.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * In-order data received and not yet read by the application. Its free space is the receive window
 * TCP advertises (RFC 9293 §3.8.6.2), so the window is honest: the peer may send exactly what fits.
 */
final class ReceiveBuffer {
    private final ByteRing ring;

    ReceiveBuffer(int capacity) {
        this.ring = new ByteRing(capacity);
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

    /** Appends up to {@code length} bytes of {@code src} at {@code index}; returns how many fitted. */
    int append(ByteBuf src, int index, int length) {
        return ring.write(src, index, length);
    }

    /**
     * Stores out-of-order data {@code gap} bytes past the in-order contents, in the free space the
     * receive window promised (RFC 9293 §3.8.6.2), where it waits for the gap to fill (see
     * {@link OutOfOrderQueue}). Returns the bytes stored.
     */
    int storeAhead(int gap, ByteBuf src, int index, int length) {
        return ring.writeAhead(gap, src, index, length);
    }

    /** The gap before data stored ahead is filled: {@code n} stored bytes become in-order contents. */
    int commit(int n) {
        return ring.commit(n);
    }

    /** Receive-buffer autotuning: the buffer (and so the window it offers) grows to {@code capacity}. */
    void grow(int capacity) {
        ring.grow(capacity);
    }

    /**
     * Removes up to {@code maxBytes} into a new buffer from {@code allocator}, which the caller owns
     * and must release; null when empty or {@code maxBytes <= 0}.
     */
    ByteBuf read(int maxBytes, ByteBufAllocator allocator) {
        int n = Math.min(maxBytes, ring.size());
        if (n <= 0) {
            return null;
        }
        ByteBuf out = allocator.buffer(n, n);
        try {
            ring.copyTo(0, n, out);
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
        ring.discardInPlace(n); // out-of-order data written ahead keeps its place
        return out;
    }

    /** Discards everything (RFC 9293: queues are flushed on reset and abort). */
    void clear() {
        ring.release();
    }
}
