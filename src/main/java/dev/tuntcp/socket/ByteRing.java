package dev.tuntcp.socket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A fixed-capacity circular byte buffer between an application thread and the event loop. Not
 * thread-safe: its owner ({@link StreamBridge}) guards it with a lock. It moves bytes to and from
 * {@link ByteBuf}s and the channel through one reusable view of its array, allocating nothing after
 * construction.
 */
final class ByteRing {
    private final byte[] data;
    /** Views {@code data}; never released (an unpooled wrapper of a heap array owns nothing). */
    private final ByteBuf view;
    private int head;
    private int size;

    ByteRing(int capacity) {
        this.data = new byte[capacity];
        this.view = Unpooled.wrappedBuffer(data);
    }

    int capacity() {
        return data.length;
    }

    int readable() {
        return size;
    }

    int free() {
        return data.length - size;
    }

    void clear() {
        head = 0;
        size = 0;
    }

    /** Copies up to {@code length} bytes in; returns how many fitted. */
    int write(byte[] src, int offset, int length) {
        int n = Math.min(length, free());
        int tail = (head + size) % data.length;
        int first = Math.min(n, data.length - tail);
        System.arraycopy(src, offset, data, tail, first);
        System.arraycopy(src, offset + first, data, 0, n - first);
        size += n;
        return n;
    }

    /** Copies all of {@code src}'s readable bytes in (the caller made sure they fit), advancing it. */
    void writeFrom(ByteBuf src) {
        int n = src.readableBytes();
        if (n > free()) {
            throw new IllegalArgumentException(n + " bytes do not fit in " + free());
        }
        int tail = (head + size) % data.length;
        int first = Math.min(n, data.length - tail);
        src.readBytes(data, tail, first);
        src.readBytes(data, 0, n - first);
        size += n;
    }

    /** Copies up to {@code length} bytes out; returns how many. */
    int read(byte[] dst, int offset, int length) {
        int n = Math.min(length, size);
        int first = Math.min(n, data.length - head);
        System.arraycopy(data, head, dst, offset, first);
        System.arraycopy(data, 0, dst, offset + first, n - first);
        consume(n);
        return n;
    }

    /** Offers the readable bytes to {@code channel} (it copies what fits); returns how many it took. */
    int drainTo(TcpChannel channel) {
        int total = 0;
        while (size > 0) {
            int segment = Math.min(size, data.length - head);
            view.setIndex(head, head + segment);
            int taken = channel.write(view);
            consume(taken);
            total += taken;
            if (taken < segment) {
                break;
            }
        }
        return total;
    }

    private void consume(int n) {
        size -= n;
        head = size == 0 ? 0 : (head + n) % data.length;
    }
}
