package dev.tuntcp.wire;

import io.netty.buffer.ByteBuf;
import io.netty.util.internal.PlatformDependent;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Big-endian reads at absolute indices of one {@link ByteBuf}, bound once per packet by a flyweight
 * so that each field read skips the ByteBuf's per-call reference-count and bounds checks (the parse
 * goal is tens of nanoseconds for a whole header; see issue 3 and DESIGN §3):
 * <ul>
 *   <li>direct buffers with a memory address (Netty with Unsafe): read by address;</li>
 *   <li>heap buffers: a big-endian {@link VarHandle} view of the backing array (bounds-checked by the
 *       array itself);</li>
 *   <li>anything else (composite, direct without Unsafe): through the ByteBuf's own getters.</li>
 * </ul>
 * Callers must only read inside a range they have already checked against the buffer's writer index
 * ({@code wrap} does this), and must re-bind after the buffer is released or its capacity changes.
 */
final class ByteView {
    private static final boolean ADDRESS_ACCESS = PlatformDependent.hasUnsafe();
    private static final boolean LITTLE_ENDIAN_CPU = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final VarHandle SHORT_BE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private static final int BYTEBUF = 0;
    private static final int ADDRESS = 1;
    private static final int ARRAY = 2;

    private int mode;
    private long address;
    private byte[] array;
    private int arrayOffset;
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
        } else if (b.hasMemoryAddress() || b.hasArray()) {
            inspect(b); // was bound checked-only before
        }
    }

    private void inspect(ByteBuf b) {
        if (ADDRESS_ACCESS && b.hasMemoryAddress()) {
            mode = ADDRESS;
            address = b.memoryAddress();
            array = null;
        } else if (b.hasArray()) {
            mode = ARRAY;
            array = b.array();
            arrayOffset = b.arrayOffset();
        } else {
            mode = BYTEBUF;
            array = null;
        }
    }

    /** Takes over another view's binding (same buffer, no re-inspection of the buffer). */
    void bind(ByteView other) {
        if (buf != other.buf) {
            buf = other.buf;
        }
        if (array != other.array) {
            array = other.array;
        }
        mode = other.mode;
        address = other.address;
        arrayOffset = other.arrayOffset;
    }

    /** Reads through the ByteBuf's checked getters only (for a range not yet validated). */
    void bindChecked(ByteBuf b) {
        buf = b;
        array = null;
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
        return buf.getInt(index);
    }
}
