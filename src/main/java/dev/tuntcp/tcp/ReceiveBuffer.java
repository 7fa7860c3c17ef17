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
        ring.discard(n);
        return out;
    }

    /** Discards everything (RFC 9293: queues are flushed on reset and abort). */
    void clear() {
        ring.release();
    }
}
