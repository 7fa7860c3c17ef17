package dev.tuntcp.testing;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * Drops capabilities from the calling thread only: Linux keeps capability sets per thread and the
 * raw capset(2) call (unlike libcap's process-wide helpers) changes just the caller. Lets a test act
 * as an unprivileged user — e.g. attach to a persistent TUN device it owns without CAP_NET_ADMIN —
 * on a dedicated thread, without a second process. Use only on a thread that dies afterwards.
 */
public final class ThreadCapabilities {
    static {
        Native.register(ThreadCapabilities.class, Platform.C_LIBRARY_NAME);
    }

    /** _LINUX_CAPABILITY_VERSION_3: two 32-bit words per set. */
    private static final int VERSION_3 = 0x20080522;

    private ThreadCapabilities() {
    }

    private static native int capget(long header, long data);

    private static native int capset(long header, long data);

    /** Removes {@code capability} (e.g. 12 for CAP_NET_ADMIN) from this thread's effective set. */
    public static void dropEffective(int capability) {
        Memory header = new Memory(8);
        header.setInt(0, VERSION_3);
        header.setInt(4, 0); // 0 = the calling thread
        Memory data = new Memory(24); // struct __user_cap_data_struct[2] {effective, permitted, inheritable}
        data.clear();
        if (capget(Pointer.nativeValue(header), Pointer.nativeValue(data)) != 0) {
            throw new IllegalStateException("capget failed: errno " + Native.getLastError());
        }
        int word = capability / 32;
        int bit = 1 << (capability % 32);
        long effectiveOffset = word * 12L;
        data.setInt(effectiveOffset, data.getInt(effectiveOffset) & ~bit);
        if (capset(Pointer.nativeValue(header), Pointer.nativeValue(data)) != 0) {
            throw new IllegalStateException("capset failed: errno " + Native.getLastError());
        }
    }

    /** Whether this thread has {@code capability} in its effective set. */
    public static boolean hasEffective(int capability) {
        Memory header = new Memory(8);
        header.setInt(0, VERSION_3);
        header.setInt(4, 0);
        Memory data = new Memory(24);
        data.clear();
        if (capget(Pointer.nativeValue(header), Pointer.nativeValue(data)) != 0) {
            throw new IllegalStateException("capget failed: errno " + Native.getLastError());
        }
        return (data.getInt(capability / 32 * 12L) & (1 << (capability % 32))) != 0;
    }
}
