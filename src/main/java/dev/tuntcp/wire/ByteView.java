package dev.tuntcp.wire;

import io.netty.buffer.ByteBuf;
import io.netty.util.internal.PlatformDependent;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Big-endian reads at absolute indices of one {@link ByteBuf}, bound once per packet by a flyweight
 * so that each read skips the ByteBuf's per-call reference-count and bounds checks (the parse goal
 * is tens of nanoseconds for a whole header; see issue 3 and DESIGN §3):
 * <ul>
 *   <li>direct buffers with a memory address (Netty with Unsafe): read by address;</li>
 *   <li>heap buffers: a big-endian {@link VarHandle} view of the backing array (bounds-checked by the
 *       array itself);</li>
 *   <li>other buffers backed by one NIO buffer (direct buffers when Netty runs without Unsafe, as on
 *       JDK 24+ unless Unsafe memory access is allowed): a big-endian {@link VarHandle} view of
 *       {@link ByteBuf#internalNioBuffer};</li>
 *   <li>anything else (composite buffers): through the ByteBuf's own getters.</li>
 * </ul>
 * Callers must only read inside a range they have already checked against the buffer's writer index
 * ({@code wrap} does this), and must re-bind after the buffer is released or its capacity changes.
 */
final class ByteView {
    private static final boolean ADDRESS_ACCESS = PlatformDependent.hasUnsafe();
    private static final boolean LITTLE_ENDIAN_CPU = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final VarHandle SHORT_BE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle NIO_SHORT_BE = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle NIO_INT_BE = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle NIO_LONG_BE = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private static final int BYTEBUF = 0;
    private static final int ADDRESS = 1;
    private static final int ARRAY = 2;
    private static final int NIO = 3;

    private int mode;
    private long address;
    private byte[] array;
    private int arrayOffset;
    private ByteBuffer nio;
    private int nioOffset;
    private ByteBuf buf;

    /**
     * Reads through the fastest access the buffer offers. Binding the buffer bound last (pooled
     * buffers come back often) only refreshes its address: reference stores cost a GC write
     * barrier each, which is a visible share of a 20 ns parse.
     */
    void bind(ByteBuf b) {
        if (b != buf) {
            buf = b;
            inspect(b);
        } else if (mode == ADDRESS) {
            address = b.memoryAddress(); // moves if the capacity changed
        } else if (mode == ARRAY) {
            byte[] a = b.array();
            if (a != array) {
                array = a;
            }
            arrayOffset = b.arrayOffset();
        } else if (mode == NIO) {
            refreshNio();
        } else if (b.hasMemoryAddress() || b.hasArray() || b.nioBufferCount() == 1) {
            inspect(b); // was bound checked-only before
        }
    }

    private void inspect(ByteBuf b) {
        if (ADDRESS_ACCESS && b.hasMemoryAddress()) {
            mode = ADDRESS;
            address = b.memoryAddress();
            array = null;
            nio = null;
        } else if (b.hasArray()) {
            mode = ARRAY;
            array = b.array();
            arrayOffset = b.arrayOffset();
            nio = null;
        } else if (b.nioBufferCount() == 1) {
            mode = NIO;
            array = null;
            refreshNio();
        } else {
            mode = BYTEBUF;
            array = null;
            nio = null;
        }
    }

    /**
     * The buffer's internal NIO buffer over its whole capacity; our index 0 is the NIO buffer's
     * position. Netty shares that NIO buffer with every other {@code internalNioBuffer} caller of the
     * same ByteBuf (e.g. {@link InternetChecksum#sum}), which may shrink its limit: reads check the
     * limit and come back here when it no longer covers them.
     */
    private void refreshNio() {
        ByteBuffer n = buf.internalNioBuffer(0, buf.capacity());
        if (n != nio) {
            nio = n;
        }
        nioOffset = n.position();
    }

    /** The NIO index of {@code index}, after making sure the shared NIO buffer's limit covers {@code width} bytes there. */
    private int nioIndex(int index, int width) {
        int i = nioOffset + index;
        if (i + width > nio.limit()) {
            refreshNio();
            i = nioOffset + index;
        }
        return i;
    }

    /** Takes over another view's binding (same buffer, no re-inspection of the buffer). */
    void bind(ByteView other) {
        if (buf != other.buf) {
            buf = other.buf;
        }
        if (array != other.array) {
            array = other.array;
        }
        if (nio != other.nio) {
            nio = other.nio;
        }
        mode = other.mode;
        address = other.address;
        arrayOffset = other.arrayOffset;
        nioOffset = other.nioOffset;
    }

    /** Reads through the ByteBuf's checked getters only (for a range not yet validated). */
    void bindChecked(ByteBuf b) {
        buf = b;
        array = null;
        nio = null;
        mode = BYTEBUF;
    }

    ByteBuf buffer() {
        return buf;
    }

    int u8(int index) {
        if (mode == ADDRESS) {
            return PlatformDependent.getByte(address + index) & 0xff;
        }
        if (mode == ARRAY) {
            return array[arrayOffset + index] & 0xff;
        }
        if (mode == NIO) {
            return nio.get(nioIndex(index, 1)) & 0xff;
        }
        return buf.getUnsignedByte(index);
    }

    int u16(int index) {
        if (mode == ADDRESS) {
            short s = PlatformDependent.getShort(address + index);
            return (LITTLE_ENDIAN_CPU ? Short.reverseBytes(s) : s) & 0xffff;
        }
        if (mode == ARRAY) {
            return (short) SHORT_BE.get(array, arrayOffset + index) & 0xffff;
        }
        if (mode == NIO) {
            return (short) NIO_SHORT_BE.get(nio, nioIndex(index, 2)) & 0xffff;
        }
        return buf.getUnsignedShort(index);
    }

    int i32(int index) {
        if (mode == ADDRESS) {
            int v = PlatformDependent.getInt(address + index);
            return LITTLE_ENDIAN_CPU ? Integer.reverseBytes(v) : v;
        }
        if (mode == ARRAY) {
            return (int) INT_BE.get(array, arrayOffset + index);
        }
        if (mode == NIO) {
            return (int) NIO_INT_BE.get(nio, nioIndex(index, 4));
        }
        return buf.getInt(index);
    }

    /** Eight bytes as one big-endian value (a fixed header is read in two or three such loads). */
    long i64(int index) {
        if (mode == ADDRESS) {
            long v = PlatformDependent.getLong(address + index);
            return LITTLE_ENDIAN_CPU ? Long.reverseBytes(v) : v;
        }
        if (mode == ARRAY) {
            return (long) LONG_BE.get(array, arrayOffset + index);
        }
        if (mode == NIO) {
            return (long) NIO_LONG_BE.get(nio, nioIndex(index, 8));
        }
        return buf.getLong(index);
    }
}
