package dev.tuntcp.link;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.netty.buffer.ByteBuf;

/**
 * The native address of a direct {@link ByteBuf}'s index 0, so read(2)/write(2) work on packet
 * memory in place. Netty exposes it directly when it may use {@code Unsafe} (the normal case, and
 * free); otherwise JNA asks the JVM for the NIO buffer's address (allocates a little, still no copy).
 */
final class NativeAddress {
    private NativeAddress() {
    }

    /** Whether {@code buf} is one contiguous block of native memory we can address. */
    static boolean addressable(ByteBuf buf) {
        return buf.hasMemoryAddress() || (buf.isDirect() && buf.nioBufferCount() == 1);
    }

    /** The address of index 0 of {@code buf}; requires {@link #addressable}. */
    static long of(ByteBuf buf) {
        if (buf.hasMemoryAddress()) {
            return buf.memoryAddress();
        }
        // nioBuffer(0, capacity) is a slice starting at index 0, whose JNI address is index 0's.
        Pointer p = Native.getDirectBufferPointer(buf.nioBuffer(0, buf.capacity()));
        return Pointer.nativeValue(p);
    }
}
