package dev.tuntcp.socket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A fixed-capacity circular byte buffer between an application thread and the event loop. Not
 * thread-safe: its owner ({@link BlockingStreams}) guards it with its monitor. It moves bytes to and
 * from {@link ByteBuf}s and hands them to the channel through one reusable view of its array,
 * allocating nothing after construction.
 */
final class ByteRing {
    private final byte[] data;
    /** Views {@code data}; never released (an unpooled wrapper of a heap array owns nothing). */
    private final ByteBuf view;
    private int head;
    private int size;
    private long generation;

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
        generation++;
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

    /** Where the readable bytes start. */
    int head() {
        return head;
    }

    /** The readable bytes up to the end of the array (the rest, if any, wraps to the start). */
    int firstSegment() {
        return Math.min(size, data.length - head);
    }

    /** Bumped by {@link #clear()}, so a reader working outside the owner's lock can tell. */
    long generation() {
        return generation;
    }

    /**
     * A view of {@code length} bytes at {@code start}, for one {@link TcpChannel#write}; the view is
     * reused, so only its single user (the event loop) may call this.
     */
    ByteBuf view(int start, int length) {
        return view.setIndex(start, start + length);
    }

    /** Drops {@code n} readable bytes from the front (they were taken by the channel). */
    void consume(int n) {
        size -= n;
        head = size == 0 ? 0 : (head + n) % data.length;
    }
}
