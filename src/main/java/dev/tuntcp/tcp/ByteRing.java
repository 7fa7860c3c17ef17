package dev.tuntcp.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A fixed-capacity circular byte queue: the storage under {@link SendBuffer} and
 * {@link ReceiveBuffer}. Logical offsets count from the oldest byte. The array is allocated on first
 * use, so connections that never carry data (half-open, refused) cost no buffer memory.
 *
 * <p>Memory is a heap array wrapped once in an unpooled {@link ByteBuf} view: there is nothing to
 * release and nothing to leak; the view is lent to {@link TcpOutput} for the duration of a send.
 */
final class ByteRing {
    private int capacity;
    private byte[] array;
    private ByteBuf view;
    private int head;
    private int size;

    ByteRing(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    int capacity() {
        return capacity;
    }

    int size() {
        return size;
    }

    int free() {
        return capacity - size;
    }

    /** Copies up to {@code length} bytes from {@code src} at {@code srcIndex}; returns how many. */
    int write(ByteBuf src, int srcIndex, int length) {
        int n = Math.min(length, capacity - size);
        if (n <= 0) {
            return 0;
        }
        ensureArray();
        int tail = (head + size) % capacity;
        int first = Math.min(n, capacity - tail);
        src.getBytes(srcIndex, array, tail, first);
        if (first < n) {
            src.getBytes(srcIndex + first, array, 0, n - first);
        }
        size += n;
        return n;
    }

    /**
     * Copies {@code length} bytes from {@code src} at {@code srcIndex} into the free space,
     * {@code gap} bytes past the end of the contents, without making them part of the contents (the
     * receiver's out-of-order data waits there until {@link #commit} takes it in). The caller keeps
     * {@code gap + length <= free()}; anything beyond the free space is not written. Returns the bytes
     * written.
     */
    int writeAhead(int gap, ByteBuf src, int srcIndex, int length) {
        int n = Math.min(length, capacity - size - gap);
        if (n <= 0 || gap < 0) {
            return 0;
        }
        ensureArray();
        int at = (int) ((head + (long) size + gap) % capacity);
        int first = Math.min(n, capacity - at);
        src.getBytes(srcIndex, array, at, first);
        if (first < n) {
            src.getBytes(srcIndex + first, array, 0, n - first);
        }
        return n;
    }

    /** Takes {@code n} bytes written ahead (at gap 0) into the contents; clamped to the free space. */
    int commit(int n) {
        int taken = Math.min(Math.max(n, 0), capacity - size);
        size += taken;
        return taken;
    }

    /**
     * Enlarges the ring to {@code newCapacity} (receive-buffer autotuning), keeping the contents and
     * whatever was written ahead of them in the free space, in logical order. Allocates a new array
     * (only when an array exists; otherwise the first write allocates the new size).
     */
    void grow(int newCapacity) {
        if (newCapacity <= capacity) {
            return;
        }
        if (array != null) {
            byte[] bigger = new byte[newCapacity];
            int first = capacity - head;
            System.arraycopy(array, head, bigger, 0, first);
            System.arraycopy(array, 0, bigger, first, head);
            array = bigger;
            view = Unpooled.wrappedBuffer(array);
        }
        head = 0;
        capacity = newCapacity;
    }

    /** Copies {@code length} bytes starting at logical {@code offset} into {@code dst}'s writer index. */
    void copyTo(int offset, int length, ByteBuf dst) {
        if (offset < 0 || length < 0 || offset + length > size) {
            throw new IndexOutOfBoundsException("offset " + offset + " length " + length + " size " + size);
        }
        int start = (head + offset) % capacity;
        int first = Math.min(length, capacity - start);
        dst.writeBytes(array, start, first);
        if (first < length) {
            dst.writeBytes(array, 0, length - first);
        }
    }

    /** Drops the oldest {@code n} bytes (n is clamped to the size). */
    void discard(int n) {
        discardInPlace(n);
        if (size == 0) {
            head = 0;
        }
    }

    /**
     * Drops the oldest {@code n} bytes without moving an emptied ring back to the array's start, so
     * bytes written ahead ({@link #writeAhead}) keep their place.
     */
    void discardInPlace(int n) {
        int d = Math.min(Math.max(n, 0), size);
        head = (head + d) % capacity;
        size -= d;
    }

    /** How many bytes from logical {@code offset} lie contiguously in the array (up to the wrap). */
    int contiguousAt(int offset) {
        if (offset >= size) {
            return 0;
        }
        int start = (head + offset) % capacity;
        return Math.min(size - offset, capacity - start);
    }

    /** The index in {@link #view()} of logical {@code offset}. */
    int indexOf(int offset) {
        return (head + offset) % capacity;
    }

    /** The whole array as a ByteBuf (borrowed; never released). Valid while the ring has data. */
    ByteBuf view() {
        ensureArray();
        return view;
    }

    /** Drops all contents and the array (a later write allocates it again). */
    void release() {
        array = null;
        view = null;
        head = 0;
        size = 0;
    }

    private void ensureArray() {
        if (array == null) {
            array = new byte[capacity];
            view = Unpooled.wrappedBuffer(array);
        }
    }
}
