package dev.tuntcp.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A bounded circular byte queue: the storage under {@link SendBuffer} and {@link ReceiveBuffer}.
 * Logical offsets count from the oldest byte; {@link #capacity()} bounds the contents plus whatever is
 * written ahead of them (the receive window, the send buffer size).
 *
 * <p>The array behind it holds only what has been used: it is allocated on first use and grows by
 * doubling when the contents (and data written ahead) need more room, up to the capacity. A
 * connection that carries a 32-byte request and its answer so costs a small array instead of two
 * zeroed arrays of the full buffer size (2 × 256 KiB by default), which had been most of the CPU
 * time of opening and closing a connection (docs/benchmarks.md, issue 9 "connections per second");
 * a bulk transfer reaches the full size within a few writes and then allocates no more.
 *
 * <p>Memory is a heap array wrapped in an unpooled {@link ByteBuf} view: there is nothing to
 * release and nothing to leak; the view is lent to {@link TcpOutput} for the duration of a send.
 */
final class ByteRing {
    /** The first array: small enough to cost next to nothing, large enough for a typical request. */
    static final int INITIAL_ARRAY = 4096;

    private int capacity;
    private byte[] array;
    private ByteBuf view;
    /** Index in {@link #array} of logical offset 0; offset o lives at (head + o) % array.length. */
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
        ensureRoom(size + n);
        int physical = array.length;
        int tail = (head + size) % physical;
        int first = Math.min(n, physical - tail);
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
        ensureRoom(size + gap + n);
        int physical = array.length;
        int at = (int) ((head + (long) size + gap) % physical);
        int first = Math.min(n, physical - at);
        src.getBytes(srcIndex, array, at, first);
        if (first < n) {
            src.getBytes(srcIndex + first, array, 0, n - first);
        }
        return n;
    }

    /** Takes {@code n} bytes written ahead (at gap 0) into the contents; clamped to the free space. */
    int commit(int n) {
        int taken = Math.min(Math.max(n, 0), capacity - size);
        if (taken > 0) {
            ensureRoom(size + taken); // a no-op when the bytes were written ahead, as they should be
        }
        size += taken;
        return taken;
    }

    /**
     * Raises the capacity to {@code newCapacity} (receive-buffer autotuning), keeping the contents and
     * whatever was written ahead of them. Only the bound moves: the array grows when data needs it.
     */
    void grow(int newCapacity) {
        if (newCapacity > capacity) {
            capacity = newCapacity;
        }
    }

    /** Copies {@code length} bytes starting at logical {@code offset} into {@code dst}'s writer index. */
    void copyTo(int offset, int length, ByteBuf dst) {
        if (offset < 0 || length < 0 || offset + length > size) {
            throw new IndexOutOfBoundsException("offset " + offset + " length " + length + " size " + size);
        }
        if (length == 0) {
            return;
        }
        int physical = array.length;
        int start = (head + offset) % physical;
        int first = Math.min(length, physical - start);
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
        if (d > 0) {
            head = (head + d) % array.length;
            size -= d;
        }
    }

    /** How many bytes from logical {@code offset} lie contiguously in the array (up to the wrap). */
    int contiguousAt(int offset) {
        if (offset >= size) {
            return 0;
        }
        int physical = array.length;
        int start = (head + offset) % physical;
        return Math.min(size - offset, physical - start);
    }

    /** The index in {@link #view()} of logical {@code offset}. */
    int indexOf(int offset) {
        return array == null ? 0 : (head + offset) % array.length;
    }

    /** The whole array as a ByteBuf (borrowed; never released). Valid while the ring has data. */
    ByteBuf view() {
        if (array == null) {
            ensureRoom(1);
        }
        return view;
    }

    /** The length of the array behind the ring now (0 before first use): its memory, for tests. */
    int arrayLength() {
        return array == null ? 0 : array.length;
    }

    /** Drops all contents and the array (a later write allocates it again). */
    void release() {
        array = null;
        view = null;
        head = 0;
        size = 0;
    }

    /**
     * Makes the array hold at least {@code extent} bytes from the head (extent <= capacity): the
     * first array is {@link #INITIAL_ARRAY} (or the extent, rounded up to a power of two), and each
     * growth at least doubles it, never past the capacity. Growing copies the whole old array in
     * logical order — the contents and anything written ahead of them — to the new array's start.
     */
    private void ensureRoom(int extent) {
        int physical = array == null ? 0 : array.length;
        if (extent <= physical) {
            return;
        }
        int want = Math.max(Math.max(INITIAL_ARRAY, physical * 2), Integer.highestOneBit(extent - 1) << 1);
        int length = Math.min(capacity, want < 0 ? Integer.MAX_VALUE : want);
        byte[] bigger = new byte[length];
        if (array != null) {
            int first = physical - head;
            System.arraycopy(array, head, bigger, 0, first);
            System.arraycopy(array, 0, bigger, first, head);
        }
        array = bigger;
        view = Unpooled.wrappedBuffer(array);
        head = 0;
    }
}
